# Passes when a bash in a network namespace of its own (terminal 1's, from unshare --net) sees its
# loopback interface up: the flags that ip link prints inside that namespace contain UP.
top=$(readlink /proc/1/ns/net)
found=no
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  net=$(readlink "$d/ns/net" 2>/dev/null) || continue
  [ "$net" != "$top" ] || continue
  found=yes
  nsenter --net="$d/ns/net" ip -o link show dev lo 2>/dev/null | grep -Eq '[<,]UP[,>]' && exit 0
done
[ "$found" = yes ] || fail "No shell is in a new network namespace: run unshare --net bash in terminal 1 first (step 1)." \
  "没有 shell 待在新的网络命名空间里：请先在终端 1 里运行 unshare --net bash（第 1 步）。"
fail "lo is still DOWN in terminal 1's new namespace: run ip link set lo up there." \
  "终端 1 的新命名空间里 lo 还是 DOWN：请在那里运行 ip link set lo up。"
