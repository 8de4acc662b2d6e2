# Passes when some bash runs in a user namespace below the sandbox's whose uid_map, read from the
# sandbox's namespace, is "0 0 1": root in there is the sandbox's root (unshare --map-root-user).
top=$(readlink /proc/1/ns/user)
nobody=no
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  ns=$(readlink "$d/ns/user" 2>/dev/null) || continue
  [ "$ns" = "$top" ] && continue
  map=$(awk 'NR == 1 {print $1, $2, $3}' "$d/uid_map" 2>/dev/null)
  [ "$map" = "0 0 1" ] && exit 0
  [ -z "$map" ] && nobody=yes
done
[ "$nobody" = no ] || fail "Terminal 1 is still nobody, in a user namespace without a map: exit, then run unshare --user --map-root-user bash." \
  "终端 1 还是 nobody，待在一个没有映射的用户命名空间里：先 exit，再执行 unshare --user --map-root-user bash。"
fail "No shell is root of a new user namespace yet: run unshare --user --map-root-user bash in terminal 1." \
  "还没有哪个 shell 成为新用户命名空间的 root：请在终端 1 里执行 unshare --user --map-root-user bash。"
