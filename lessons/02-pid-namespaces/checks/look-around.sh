# Passes when /tmp/my-pid-ns names the sandbox's own PID namespace. Checks run in the sandbox's
# outermost PID namespace, so the check's own /proc/self/ns/pid is the truth (namespaces(7)).
f=/tmp/my-pid-ns
[ -e "$f" ] || fail "There is no /tmp/my-pid-ns yet: run readlink /proc/self/ns/pid | tee /tmp/my-pid-ns in terminal 1." \
  "还没有 /tmp/my-pid-ns：在终端 1 里运行 readlink /proc/self/ns/pid | tee /tmp/my-pid-ns。"
want=$(readlink /proc/self/ns/pid)
got=$(tr -d '[:space:]' < "$f")
[ "$got" = "$want" ] || fail "/tmp/my-pid-ns says \"$got\", but the sandbox's PID namespace is $want: run the command in terminal 1 itself, not inside an unshare." \
  "/tmp/my-pid-ns 里写的是“$got”，可沙盒的 PID 命名空间是 $want：直接在终端 1 里运行这条命令，不要套在 unshare 里面。"
exit 0
