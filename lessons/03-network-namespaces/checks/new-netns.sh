# Passes when some bash runs in a network namespace other than the sandbox's own (PID 1's): the
# shell that unshare --net started in terminal 1 (network_namespaces(7)).
top=$(readlink /proc/1/ns/net)
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  net=$(readlink "$d/ns/net" 2>/dev/null) || continue
  [ "$net" != "$top" ] && exit 0
done
fail "Terminal 1 is still in the sandbox's network namespace: run unshare --net bash there." \
  "终端 1 还在沙盒自己的网络命名空间里：请在那里运行 unshare --net bash。"
