# Passes when /tmp/my-namespaces lists the sandbox's namespaces, one `kind:[inode]` line each, as
# readlink /proc/self/ns/* prints them (namespaces(7)). The check itself runs in the sandbox's
# top-level namespaces, the same as a terminal's shell, so its own links are the truth.
f=/tmp/my-namespaces
[ -e "$f" ] || fail "There is no /tmp/my-namespaces yet: run readlink /proc/self/ns/* | tee /tmp/my-namespaces in terminal 1." \
  "还没有 /tmp/my-namespaces：在终端 1 里运行 readlink /proc/self/ns/* | tee /tmp/my-namespaces。"
want=$(readlink /proc/self/ns/*)
got=$(tr -d ' \t\r' < "$f" | grep -v '^$')
[ "$got" = "$want" ] && exit 0
# Name the first line that differs.
while IFS='|' read -r w g; do
  [ "$w" = "$g" ] && continue
  [ -n "$g" ] || fail "/tmp/my-namespaces has no line for ${w%%:*}: run readlink /proc/self/ns/* | tee /tmp/my-namespaces in terminal 1." \
    "/tmp/my-namespaces 里缺少 ${w%%:*} 那一行：在终端 1 里运行 readlink /proc/self/ns/* | tee /tmp/my-namespaces。"
  fail "/tmp/my-namespaces says $g where the sandbox has $w: run readlink /proc/self/ns/* | tee /tmp/my-namespaces in terminal 1 itself, not inside an unshare." \
    "/tmp/my-namespaces 里写的是 $g，而沙盒的是 $w：直接在终端 1 里运行 readlink /proc/self/ns/* | tee /tmp/my-namespaces，不要套在 unshare 里面。"
done < <(paste -d'|' <(printf '%s\n' "$want") <(printf '%s\n' "$got"))
fail "/tmp/my-namespaces has extra lines: run readlink /proc/self/ns/* | tee /tmp/my-namespaces in terminal 1." \
  "/tmp/my-namespaces 里多出了几行：在终端 1 里运行 readlink /proc/self/ns/* | tee /tmp/my-namespaces。"
