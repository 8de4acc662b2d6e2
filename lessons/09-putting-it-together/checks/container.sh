# Passes when the homemade container runs: some process whose root (readlink /proc/PID/root) is
# /tmp/box, whose PID, mount, network and UTS namespaces all differ from the sandbox's PID 1,
# whose hostname is box, whose memory and pids cgroups carry the 50M / 64 limits, and which has
# a seccomp filter of its own on top of the sandbox's baseline (Seccomp_filters >= 2, proc(5)).
# Every candidate is judged; the first thing missing on the last one is reported.
found=no
for dir in /proc/[0-9]*; do
  [ "$(readlink "$dir/root" 2>/dev/null)" = /tmp/box ] || continue
  found=yes
  pid=${dir#/proc/}
  problem=
  for ns in pid mnt net uts; do
    if [ "$(readlink "$dir/ns/$ns")" = "$(readlink /proc/1/ns/$ns)" ]; then
      problem="$ns"
      break
    fi
  done
  if [ -n "$problem" ]; then
    en="The process chrooted into /tmp/box (PID $pid) still shares the sandbox's $problem namespace: leave it with exit and run the whole command again, with --pid --net --uts --ipc --mount."
    zh="chroot 进 /tmp/box 的进程（PID $pid）仍和沙箱共用 $problem 命名空间：先 exit 退出，再完整运行一遍那条带 --pid --net --uts --ipc --mount 的命令。"
    continue
  fi
  host=$(nsenter -t "$pid" -u cat /proc/sys/kernel/hostname 2>/dev/null)
  if [ "$host" != box ]; then
    en="The container's hostname is '$host', not box: the sh -c part of the command starts with hostname box."
    zh="容器的主机名是 '$host'，不是 box：命令里 sh -c 那部分要以 hostname box 开头。"
    continue
  fi
  mem_path=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' "$dir/cgroup")
  pids_path=$(sed -n 's/^[0-9]*:pids:\(.*\)$/\1/p' "$dir/cgroup")
  if [ -n "$mem_path" ]; then
    mem=$(cat "/sys/fs/cgroup/memory$mem_path/memory.limit_in_bytes" 2>/dev/null)
    pids=$(cat "/sys/fs/cgroup/pids$pids_path/pids.max" 2>/dev/null)
  else
    v2=$(sed -n 's/^0::\(.*\)$/\1/p' "$dir/cgroup")
    mem_path=$v2 pids_path=$v2
    mem=$(cat "/sys/fs/cgroup$v2/memory.max" 2>/dev/null)
    pids=$(cat "/sys/fs/cgroup$v2/pids.max" 2>/dev/null)
  fi
  if [ "$mem" != 52428800 ] || [ "$pids" != 64 ]; then
    en="The container is in cgroup ${mem_path:-?} (memory limit ${mem:-?}, pids.max ${pids:-?}), not in homemade with 50M and 64: start it through cgexec -g memory,pids:homemade."
    zh="容器所在的 cgroup 是 ${mem_path:-?}（内存上限 ${mem:-?}，pids.max ${pids:-?}），不是限额为 50M 和 64 的 homemade：要经由 cgexec -g memory,pids:homemade 启动它。"
    continue
  fi
  filters=$(sed -n 's/^Seccomp_filters:[[:space:]]*//p' "$dir/status")
  if [ "${filters:-0}" -lt 2 ]; then
    en="The container has no seccomp filter of its own (Seccomp_filters: ${filters:-0}): deny-syscall must run inside sh -c, right before chroot."
    zh="容器没有自己的 seccomp 过滤器（Seccomp_filters: ${filters:-0}）：deny-syscall 要放在 sh -c 里、紧挨在 chroot 之前运行。"
    continue
  fi
  exit 0
done
if [ "$found" = no ]; then
  fail "No process has /tmp/box as its root yet: run the three-line cgexec ... chroot /tmp/box /bin/sh command in terminal 1." \
       "还没有哪个进程以 /tmp/box 为根目录：在终端 1 里运行那条三行的 cgexec ... chroot /tmp/box /bin/sh 命令。"
fi
fail "$en" "$zh"
