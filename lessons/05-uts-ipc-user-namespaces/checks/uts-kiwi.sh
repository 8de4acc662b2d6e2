# Passes when some bash runs in a UTS namespace other than the sandbox's, whose hostname is kiwi
# (read inside that namespace with nsenter), and terminal 2 is open. Terminal shells have PPid 0.
top=$(readlink /proc/1/ns/uts)
own=no
named=no
shells=0
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  [ "$d" = "/proc/$$" ] && continue  # this check's own bash, started from outside too
  grep -qx 'PPid:[[:space:]]*0' "$d/status" 2>/dev/null && shells=$((shells + 1))
  ns=$(readlink "$d/ns/uts" 2>/dev/null) || continue
  [ "$ns" = "$top" ] && continue
  own=yes
  [ "$(nsenter -t "${d#/proc/}" --uts hostname 2>/dev/null)" = kiwi ] && named=yes
done
[ "$own" = yes ] || fail "No shell has a UTS namespace of its own yet: run unshare --uts bash in terminal 1." \
  "还没有哪个 shell 拥有自己的 UTS 命名空间：请在终端 1 里执行 unshare --uts bash。"
[ "$named" = yes ] || fail "Terminal 1 has its own UTS namespace, but its hostname is not kiwi yet: run hostname kiwi there." \
  "终端 1 已经有了自己的 UTS 命名空间，但里面的主机名还不是 kiwi：请在那里执行 hostname kiwi。"
[ "$shells" -ge 2 ] || fail "Now look from outside: run hostname in terminal 2 (its Run button opens it)." \
  "现在从外面看看：在终端 2 里执行 hostname（点它的运行按钮就会打开终端 2）。"
exit 0
