# Passes when strace's own record shows the system call that made /tmp/seccomp-probe (mkdir on
# x86_64, mkdirat where there is no mkdir), and the two experiments of the step made their
# directories: one under a mkdirat filter, one (Python's mkdirat) under a mkdir filter.
t=/tmp/seccomp-trace.txt
if ! grep -Eq '(^|[[:space:]])mkdir(at)?\((AT_FDCWD, )?"/tmp/seccomp-probe"' "$t" 2>/dev/null; then
  fail "No trace of mkdir /tmp/seccomp-probe yet: run strace -f -o /tmp/seccomp-trace.txt mkdir /tmp/seccomp-probe in terminal 1." \
       "还没有 mkdir /tmp/seccomp-probe 的跟踪记录：在终端 1 里运行 strace -f -o /tmp/seccomp-trace.txt mkdir /tmp/seccomp-probe。"
fi
if [ ! -d /tmp/seccomp-mkdirat ]; then
  fail "There is no /tmp/seccomp-mkdirat: run deny-syscall mkdirat -- mkdir /tmp/seccomp-mkdirat and see that mkdir does not need mkdirat." \
       "还没有 /tmp/seccomp-mkdirat：运行 deny-syscall mkdirat -- mkdir /tmp/seccomp-mkdirat，看看 mkdir 根本用不着 mkdirat。"
fi
if [ ! -d /tmp/seccomp-sneaky ]; then
  fail "There is no /tmp/seccomp-sneaky: run the python3 line of this step under deny-syscall mkdir, and watch mkdirat slip past." \
       "还没有 /tmp/seccomp-sneaky：在 deny-syscall mkdir 之下运行这一步的 python3 那一行，看 mkdirat 是怎么溜过去的。"
fi
exit 0
