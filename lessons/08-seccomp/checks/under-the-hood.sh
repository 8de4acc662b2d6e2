# Passes when strace's record of deny-syscall shows the two calls that install a filter (the
# second with the flag that logs every refusal), both answered 0 by the kernel, and no shell is
# left under a filter of the learner's (the lesson ends with every terminal back in the
# sandbox's own shell).
f=/tmp/seccomp-load.txt
if ! grep -Eq 'prctl\(PR_SET_NO_NEW_PRIVS, 1.*\) = 0' "$f" 2>/dev/null ||
   ! grep -Eq 'seccomp\(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_LOG, \{len=[0-9]+.*\) = 0' "$f" 2>/dev/null; then
  fail "No trace of deny-syscall loading its filter yet: run strace -f -o /tmp/seccomp-load.txt deny-syscall mkdir -- true in terminal 1." \
       "还没有 deny-syscall 装过滤器的跟踪记录：在终端 1 里运行 strace -f -o /tmp/seccomp-load.txt deny-syscall mkdir -- true。"
fi
for status in /proc/[0-9]*/status; do
  grep -qx 'Name:[[:space:]]*bash' "$status" 2>/dev/null || continue
  n=$(sed -n 's/^Seccomp_filters:[[:space:]]*//p' "$status" 2>/dev/null)
  if [ "${n:-0}" -ge 2 ] 2>/dev/null; then
    fail "A shell still runs under one of your filters (Seccomp_filters: $n): type exit in it to get back to the sandbox's own shell." \
         "还有一个 shell 带着你的过滤器（Seccomp_filters: $n）：在里面输入 exit，回到沙盒自己的 shell。"
  fi
done
exit 0
