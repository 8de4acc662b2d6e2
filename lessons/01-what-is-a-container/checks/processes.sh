# Passes when /tmp/pid1-name holds the name of the sandbox's PID 1 as the kernel records it
# (/proc/1/comm, proc(5)). Checks run in the sandbox's outermost PID namespace, so /proc/1 here is
# the sandbox's own PID 1, whatever the learner wrote.
f=/tmp/pid1-name
[ -e "$f" ] || fail "There is no /tmp/pid1-name yet: run the last command of this step in terminal 1." \
  "还没有 /tmp/pid1-name：在终端 1 里运行这一步的最后一条命令。"
want=$(cat /proc/1/comm)
got=$(tr -d '[:space:]' < "$f")
[ -n "$got" ] || fail "/tmp/pid1-name is empty: run ps -o comm= -p 1 | tee /tmp/pid1-name in terminal 1." \
  "/tmp/pid1-name 是空的：在终端 1 里运行 ps -o comm= -p 1 | tee /tmp/pid1-name。"
[ "$got" = "$want" ] || fail "/tmp/pid1-name says \"$got\", but PID 1 of this sandbox is $want: run ps -o comm= -p 1 | tee /tmp/pid1-name in terminal 1 (not inside an unshare)." \
  "/tmp/pid1-name 里写的是“$got”，可这个沙盒的 1 号进程是 $want：在终端 1 里（不要在 unshare 里面）运行 ps -o comm= -p 1 | tee /tmp/pid1-name。"
exit 0
