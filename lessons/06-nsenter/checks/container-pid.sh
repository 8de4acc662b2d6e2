# Passes when /tmp/container-pid names a process inside the container: in a PID namespace below
# the sandbox's, and in a UTS namespace whose hostname is nutshell.
[ -e /tmp/container-pid ] || fail "/tmp/container-pid does not exist yet: find the container's bash, then run echo \$PID > /tmp/container-pid in terminal 2." \
  "/tmp/container-pid 还不存在：先找到容器里的 bash，再在终端 2 里执行 echo \$PID > /tmp/container-pid。"
p=$(tr -dc '0-9' < /tmp/container-pid)
[ -n "$p" ] && [ -d "/proc/$p" ] || fail "No process has the PID in /tmp/container-pid (\"$p\"): is the container in terminal 1 still running? Find its bash again and rewrite the file." \
  "/tmp/container-pid 里的 PID（“$p”）对应的进程不存在：终端 1 里的容器还在运行吗？请重新找到它的 bash，再写一遍这个文件。"
if [ "$(readlink "/proc/$p/ns/pid")" = "$(readlink /proc/1/ns/pid)" ]; then
  [ "$(cat "/proc/$p/comm")" = unshare ] && fail "PID $p is unshare itself, which stays in the sandbox's PID namespace: use its child, PID=\$(pgrep -n -P \"\$(pgrep -n -x unshare)\")." \
    "PID $p 是 unshare 本身，它留在沙盒的 PID 命名空间里：请改用它的子进程，PID=\$(pgrep -n -P \"\$(pgrep -n -x unshare)\")。"
  fail "PID $p is not inside the container's PID namespace: use the container's bash, PID=\$(pgrep -n -P \"\$(pgrep -n -x unshare)\")." \
    "PID $p 不在容器的 PID 命名空间里：请改用容器里的 bash，PID=\$(pgrep -n -P \"\$(pgrep -n -x unshare)\")。"
fi
[ "$(nsenter -t "$p" --uts hostname 2>/dev/null)" = nutshell ] || fail "PID $p is in a PID namespace of its own, but its hostname is not nutshell: is it the container of step 1?" \
  "PID $p 在自己的 PID 命名空间里，但主机名不是 nutshell：它是第 1 步的那个容器吗？"
exit 0
