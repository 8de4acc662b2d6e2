# Passes when some bash is PID 1 of a nested PID namespace (NSpid ends in 1), in a UTS namespace
# of its own named nutshell and a network namespace of its own, and its mount namespace has
# /mnt/secret.txt (read through /proc/PID/root, which resolves paths in that process's mounts).
top_uts=$(readlink /proc/1/ns/uts)
top_net=$(readlink /proc/1/ns/net)
pid1=no
own=no
named=no
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  awk '/^NSpid:/ { exit !(NF >= 3 && $NF == 1) }' "$d/status" 2>/dev/null || continue
  pid1=yes
  uts=$(readlink "$d/ns/uts") && net=$(readlink "$d/ns/net") || continue
  [ "$uts" != "$top_uts" ] && [ "$net" != "$top_net" ] || continue
  own=yes
  [ "$(nsenter -t "${d#/proc/}" --uts hostname 2>/dev/null)" = nutshell ] || continue
  named=yes
  [ -e "$d/root/mnt/secret.txt" ] && exit 0
done
[ "$pid1" = yes ] || fail "No container yet: run unshare --fork --pid --mount-proc --uts --net bash in terminal 1." \
  "还没有容器：请在终端 1 里执行 unshare --fork --pid --mount-proc --uts --net bash。"
[ "$own" = yes ] || fail "Terminal 1's bash is PID 1, but it shares the sandbox's hostname or network: exit, then run unshare --fork --pid --mount-proc --uts --net bash." \
  "终端 1 的 bash 是 1 号进程，但它和沙盒共用主机名或网络：先 exit，再执行 unshare --fork --pid --mount-proc --uts --net bash。"
[ "$named" = yes ] || fail "The container has its own UTS namespace, but its hostname is not nutshell yet: run hostname nutshell inside it." \
  "容器已经有了自己的 UTS 命名空间，但主机名还不是 nutshell：请在容器里执行 hostname nutshell。"
fail "Almost: inside the container, run mount -t tmpfs none /mnt, then echo \"you found me\" > /mnt/secret.txt." \
  "差一点：请在容器里执行 mount -t tmpfs none /mnt，再执行 echo \"you found me\" > /mnt/secret.txt。"
