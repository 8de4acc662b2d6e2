# Passes when the named namespaces red and blue exist (/run/netns), joined by a veth pair with
# 10.0.0.1/24 on veth-red and 10.0.0.2/24 on veth-blue, both up, and a ping went across: one
# namespace's ICMP counters show echo requests received, the other's echo replies received
# (/proc/net/snmp, read from inside each namespace).
for ns in red blue; do
  [ -e "/run/netns/$ns" ] || fail "There is no network namespace named $ns yet: run ip netns add $ns in terminal 2." \
    "还没有名为 $ns 的网络命名空间：请在终端 2 里运行 ip netns add $ns。"
done
end() { # namespace, interface, address
  if ! ip -n "$1" -o link show dev "$2" >/dev/null 2>&1; then
    fail "$2 is not in namespace $1: create the pair with ip link add veth-red type veth peer name veth-blue, then ip link set $2 netns $1." \
      "$2 不在命名空间 $1 里：先用 ip link add veth-red type veth peer name veth-blue 造出这对网卡，再运行 ip link set $2 netns $1。"
  fi
  ip -n "$1" -o addr show dev "$2" | grep -q "inet $3/24 " || fail "$2 in $1 has no address $3/24 yet: run ip -n $1 addr add $3/24 dev $2." \
    "$1 里的 $2 还没有地址 $3/24：请运行 ip -n $1 addr add $3/24 dev $2。"
  ip -n "$1" -o link show dev "$2" | grep -Eq '[<,]UP[,>]' || fail "$2 in $1 is still down: run ip -n $1 link set $2 up." \
    "$1 里的 $2 还没有启用：请运行 ip -n $1 link set $2 up。"
}
end red veth-red 10.0.0.1
end blue veth-blue 10.0.0.2
icmp() { # namespace, counter name
  nsenter --net="/run/netns/$1" cat /proc/self/net/snmp 2>/dev/null |
    awk -v k="$2" '$1 == "Icmp:" { if (!col) { for (i = 2; i <= NF; i++) if ($i == k) col = i; next } print $col + 0; exit }'
}
if [ "$(icmp red InEchoReps)" -gt 0 ] && [ "$(icmp blue InEchos)" -gt 0 ]; then exit 0; fi
if [ "$(icmp blue InEchoReps)" -gt 0 ] && [ "$(icmp red InEchos)" -gt 0 ]; then exit 0; fi
fail "The cable is plugged in, but no ping has crossed it yet: run ip netns exec red ping -c 3 10.0.0.2." \
  "网线已经接好，但还没有 ping 从上面经过：请运行 ip netns exec red ping -c 3 10.0.0.2。"
