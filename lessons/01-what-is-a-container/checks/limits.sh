# Passes when /tmp/memory-limit holds the sandbox's memory limit as the cgroup file system shows
# it: memory.limit_in_bytes under cgroup v1, memory.max under v2 (cgroups(7)), the same files the
# step's command reads.
f=/tmp/memory-limit
[ -e "$f" ] || fail "There is no /tmp/memory-limit yet: run the cat ... | tee /tmp/memory-limit command of this step in terminal 1." \
  "还没有 /tmp/memory-limit：在终端 1 里运行这一步中 cat ... | tee /tmp/memory-limit 那条命令。"
want=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max 2>/dev/null | tr -d '[:space:]')
[ -n "$want" ] || fail "This sandbox shows no memory limit file under /sys/fs/cgroup; please report it." \
  "这个沙盒的 /sys/fs/cgroup 下找不到内存上限文件；请报告这个问题。"
got=$(tr -d '[:space:]' < "$f")
[ "$got" = "$want" ] || fail "/tmp/memory-limit says \"$got\", but the limit is $want: run the cat ... | tee /tmp/memory-limit command again." \
  "/tmp/memory-limit 里写的是“$got”，可实际上限是 $want：再运行一次 cat ... | tee /tmp/memory-limit 那条命令。"
exit 0
