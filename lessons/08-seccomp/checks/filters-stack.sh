# Passes when some bash runs with at least two seccomp filters: the sandbox's own one plus the
# learner's (deny-syscall mkdir -- bash). The count is the kernel's, from /proc/PID/status
# (proc(5), Seccomp_filters).
for status in /proc/[0-9]*/status; do
  grep -qx 'Name:[[:space:]]*bash' "$status" 2>/dev/null || continue
  n=$(sed -n 's/^Seccomp_filters:[[:space:]]*//p' "$status" 2>/dev/null)
  if [ "${n:-0}" -ge 2 ] 2>/dev/null; then exit 0; fi
done
fail "No shell runs under a filter of yours yet (every bash has Seccomp_filters: 1): run deny-syscall mkdir -- bash in terminal 1 and stay in it." \
     "还没有哪个 shell 带着你的过滤器（所有 bash 的 Seccomp_filters 都是 1）：在终端 1 里运行 deny-syscall mkdir -- bash，并留在里面。"
