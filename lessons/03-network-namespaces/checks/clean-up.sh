# Passes when nothing of this lesson is left: no named namespace red or blue, no server on port
# 8080 in any network namespace, no bash outside the sandbox's network namespace, and
# /tmp/net-ns-after (written by terminal 1 after leaving) names the sandbox's own namespace.
top=$(readlink /proc/1/ns/net)
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = python3 ] || continue
  case "$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null)" in
    *http.server*)
      if [ "$(readlink "$d/ns/net" 2>/dev/null)" = "$top" ]; then
        fail "The web server of terminal 2 still runs (PID ${d#/proc/}): run kill %1 in terminal 2." \
          "终端 2 的 Web 服务器还在运行（PID ${d#/proc/}）：请在终端 2 里运行 kill %1。"
      fi
      fail "The web server of terminal 1's namespace still runs (PID ${d#/proc/}): run kill %1 in terminal 1 before exit, or kill ${d#/proc/} from any terminal." \
        "终端 1 那个命名空间里的 Web 服务器还在运行（PID ${d#/proc/}）：请在终端 1 里先 kill %1 再 exit，或者在任意终端里运行 kill ${d#/proc/}。"
      ;;
  esac
done
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  net=$(readlink "$d/ns/net" 2>/dev/null) || continue
  [ "$net" = "$top" ] || fail "Terminal 1 is still in its own network namespace: type exit there." \
    "终端 1 还待在它自己的网络命名空间里：请在那里输入 exit。"
done
for ns in red blue; do
  [ -e "/run/netns/$ns" ] && fail "The namespace $ns is still there: run ip netns del $ns in terminal 2." \
    "命名空间 $ns 还在：请在终端 2 里运行 ip netns del $ns。"
done
f=/tmp/net-ns-after
[ -e "$f" ] || fail "There is no /tmp/net-ns-after yet: in terminal 1, run readlink /proc/self/ns/net | tee /tmp/net-ns-after." \
  "还没有 /tmp/net-ns-after：请在终端 1 里运行 readlink /proc/self/ns/net | tee /tmp/net-ns-after。"
got=$(tr -d '[:space:]' < "$f")
[ "$got" = "$top" ] || fail "/tmp/net-ns-after says \"$got\", not the sandbox's $top: it was written inside a namespace; exit, then run readlink /proc/self/ns/net | tee /tmp/net-ns-after in terminal 1 again." \
  "/tmp/net-ns-after 里写的是“$got”，不是沙盒的 $top：它是在某个命名空间里面写的；先 exit，再在终端 1 里运行一次 readlink /proc/self/ns/net | tee /tmp/net-ns-after。"
exit 0
