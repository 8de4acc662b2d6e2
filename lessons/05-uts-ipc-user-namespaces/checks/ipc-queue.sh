# Passes when some process lives in an IPC namespace other than the sandbox's and that namespace
# holds at least one System V message queue (/proc/sysvipc/msg, read inside it with nsenter).
top=$(readlink /proc/1/ns/ipc)
seen=" "
own=no
for d in /proc/[0-9]*; do
  ns=$(readlink "$d/ns/ipc" 2>/dev/null) || continue
  [ "$ns" = "$top" ] && continue
  case "$seen" in *" $ns "*) continue ;; esac
  seen="$seen$ns "
  own=yes
  queues=$(nsenter -t "${d#/proc/}" --ipc cat /proc/sysvipc/msg 2>/dev/null | tail -n +2 | grep -c .)
  [ "${queues:-0}" -gt 0 ] && exit 0
done
[ "$own" = yes ] || fail "No shell has an IPC namespace of its own yet: leave kiwi with exit, then run unshare --ipc bash in terminal 1." \
  "还没有哪个 shell 拥有自己的 IPC 命名空间：先用 exit 离开 kiwi，再在终端 1 里执行 unshare --ipc bash。"
fail "Terminal 1 has its own IPC namespace, but no message queue in it yet: run ipcmk -Q there." \
  "终端 1 已经有了自己的 IPC 命名空间，但里面还没有消息队列：请在那里执行 ipcmk -Q。"
