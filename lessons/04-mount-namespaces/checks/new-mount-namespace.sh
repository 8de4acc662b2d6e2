# Passes when a bash runs in a mount namespace of its own (not PID 1's) while sharing the sandbox's
# PID namespace (so not a leftover of the PID lesson's --mount-proc), and /tmp/inside.pid holds
# its PID, as written by that shell itself (mount_namespaces(7)).
top_mnt=$(readlink /proc/1/ns/mnt)
top_pid=$(readlink /proc/1/ns/pid)
inside() { # PID: is it a bash in a mount namespace of its own?
  [ "$(cat "/proc/$1/comm" 2>/dev/null)" = bash ] || return 1
  [ "$(readlink "/proc/$1/ns/pid" 2>/dev/null)" = "$top_pid" ] || return 1
  mnt=$(readlink "/proc/$1/ns/mnt" 2>/dev/null) && [ "$mnt" != "$top_mnt" ]
}
found=no
for d in /proc/[0-9]*; do
  inside "${d#/proc/}" && found=yes && break
done
[ "$found" = yes ] || fail "Terminal 1 is still in the sandbox's mount namespace: run unshare --mount bash there." \
  "终端 1 还在沙盒自己的挂载命名空间里：请在那里运行 unshare --mount bash。"
pid=$(tr -d '[:space:]' < /tmp/inside.pid 2>/dev/null)
case "$pid" in '' | *[!0-9]*) fail "There is no PID in /tmp/inside.pid yet: run echo \$\$ > /tmp/inside.pid in the new bash of terminal 1." \
  "/tmp/inside.pid 里还没有 PID：请在终端 1 的新 bash 里运行 echo \$\$ > /tmp/inside.pid。" ;; esac
inside "$pid" || fail "/tmp/inside.pid says $pid, which is not the shell in the new mount namespace: run echo \$\$ > /tmp/inside.pid again inside it (in terminal 1)." \
  "/tmp/inside.pid 里写的是 $pid，但它不是新挂载命名空间里的那个 shell：请在终端 1 的新 bash 里再运行一次 echo \$\$ > /tmp/inside.pid。"
exit 0
