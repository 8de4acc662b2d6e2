# Passes when a bash shares the container's UTS and network namespaces but the sandbox's PID and
# mount namespaces: half in, half out (nsenter --uts --net, which needs no fork and execs bash).
box=
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  awk '/^NSpid:/ { exit !(NF >= 3 && $NF == 1) }' "$d/status" 2>/dev/null || continue
  [ "$(nsenter -t "${d#/proc/}" --uts hostname 2>/dev/null)" = nutshell ] && box=${d#/proc/} && break
done
[ -n "$box" ] || fail "The container of step 1 is not running: start it in terminal 1 (unshare --fork --pid --mount-proc --uts --net bash, then hostname nutshell)." \
  "第 1 步的容器没有在运行：请在终端 1 里把它建起来（unshare --fork --pid --mount-proc --uts --net bash，然后 hostname nutshell）。"
box_uts=$(readlink "/proc/$box/ns/uts")
box_net=$(readlink "/proc/$box/ns/net")
box_pid=$(readlink "/proc/$box/ns/pid")
top_pid=$(readlink /proc/1/ns/pid)
top_mnt=$(readlink /proc/1/ns/mnt)
inside=no
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  [ "$(readlink "$d/ns/uts" 2>/dev/null)" = "$box_uts" ] && [ "$(readlink "$d/ns/net")" = "$box_net" ] || continue
  pid=$(readlink "$d/ns/pid")
  [ "$pid" = "$box_pid" ] && [ "${d#/proc/}" != "$box" ] && inside=yes
  [ "$pid" = "$top_pid" ] && [ "$(readlink "$d/ns/mnt")" = "$top_mnt" ] && exit 0
done
[ "$inside" = no ] || fail "Terminal 2 is still all the way inside the container: exit, then run nsenter --target \$PID --uts --net bash." \
  "终端 2 还整个待在容器里：先 exit，再执行 nsenter --target \$PID --uts --net bash。"
fail "No shell is half in yet: run nsenter --target \$PID --uts --net bash in terminal 2." \
  "还没有“一半在里”的 shell：请在终端 2 里执行 nsenter --target \$PID --uts --net bash。"
