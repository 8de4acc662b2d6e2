# Passes when /tmp/host-uid holds the host uid that the sandbox's root maps to: the second field
# of the sandbox's uid_map (user_namespaces(7)), read from PID 1, which is in the same namespace.
want=$(awk 'NR == 1 {print $2}' /proc/1/uid_map)
[ -e /tmp/host-uid ] || fail "/tmp/host-uid does not exist yet: run awk '{print \$2}' /proc/self/uid_map > /tmp/host-uid in terminal 1." \
  "/tmp/host-uid 还不存在：请在终端 1 里执行 awk '{print \$2}' /proc/self/uid_map > /tmp/host-uid。"
got=$(tr -d '[:space:]' < /tmp/host-uid)
[ "$got" = "$want" ] || fail "/tmp/host-uid says \"$got\", but your root is uid $want on the host: write it from the sandbox's own shell, after exit." \
  "/tmp/host-uid 里写的是“$got”，可你的 root 在宿主机上是 uid $want：请先 exit，在沙盒自己的 shell 里重新写一次。"
exit 0
