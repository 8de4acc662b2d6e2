# Passes when a bash started by nsenter (its parent, seen from the sandbox, is nsenter) shares the
# PID, mount, UTS and network namespaces of the container: the bash that is PID 1 there, with the
# hostname nutshell.
ns_of() { for t in pid mnt uts net; do readlink "/proc/$1/ns/$t"; done | tr '\n' ' '; }
box=
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  awk '/^NSpid:/ { exit !(NF >= 3 && $NF == 1) }' "$d/status" 2>/dev/null || continue
  [ "$(nsenter -t "${d#/proc/}" --uts hostname 2>/dev/null)" = nutshell ] && box=${d#/proc/} && break
done
[ -n "$box" ] || fail "The container of step 1 is not running: start it in terminal 1 (unshare --fork --pid --mount-proc --uts --net bash, then hostname nutshell)." \
  "第 1 步的容器没有在运行：请在终端 1 里把它建起来（unshare --fork --pid --mount-proc --uts --net bash，然后 hostname nutshell）。"
want=$(ns_of "$box")
partly=no
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  pp=$(awk '/^PPid:/ {print $2}' "$d/status" 2>/dev/null)
  [ -n "$pp" ] && [ "$(cat "/proc/$pp/comm" 2>/dev/null)" = nsenter ] || continue
  [ "$(ns_of "${d#/proc/}")" = "$want" ] && exit 0
  partly=yes
done
[ "$partly" = no ] || fail "Terminal 2 entered only some of the container's namespaces: exit, then run nsenter --target \$PID --pid --mount --uts --net bash." \
  "终端 2 只进入了容器的部分命名空间：先 exit，再执行 nsenter --target \$PID --pid --mount --uts --net bash。"
fail "Nobody has walked into the container yet: run nsenter --target \$PID --pid --mount --uts --net bash in terminal 2." \
  "还没有人走进容器：请在终端 2 里执行 nsenter --target \$PID --pid --mount --uts --net bash。"
