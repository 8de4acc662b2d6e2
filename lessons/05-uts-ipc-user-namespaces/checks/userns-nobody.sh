# Passes when some bash runs in a user namespace below the sandbox's whose uid_map is still empty
# (unshare --user without a map): there it is "nobody" and has no capabilities.
top=$(readlink /proc/1/ns/user)
mapped=no
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  ns=$(readlink "$d/ns/user" 2>/dev/null) || continue
  [ "$ns" = "$top" ] && continue
  if [ -z "$(cat "$d/uid_map" 2>/dev/null)" ]; then exit 0; fi
  mapped=yes
done
[ "$mapped" = no ] || fail "Terminal 1's new user namespace already has a uid map: exit, then run plain unshare --user bash, without --map-root-user." \
  "终端 1 的新用户命名空间已经有了 uid 映射：先 exit，再执行不带 --map-root-user 的 unshare --user bash。"
fail "No shell is in a new user namespace yet: run unshare --user bash in terminal 1." \
  "还没有哪个 shell 进入新的用户命名空间：请在终端 1 里执行 unshare --user bash。"
