# Passes when terminal 1's secret tmpfs is still mounted in its own mount namespace and the
# sandbox's own /mnt (the one under PID 1's root) has outside.txt, written from terminal 2.
secret() { awk '$5 == "/mnt" { for (i = 6; i < NF; i++) if ($i == "-") { if ($(i + 1) == "tmpfs" && $(i + 2) == "secret") found = 1; break } } END { exit !found }' "$1" 2>/dev/null; }
top=$(readlink /proc/1/ns/mnt)
mounted=no
for d in /proc/[0-9]*; do
  mnt=$(readlink "$d/ns/mnt" 2>/dev/null) || continue
  [ "$mnt" != "$top" ] || continue
  secret "$d/mountinfo" && mounted=yes && break
done
[ "$mounted" = yes ] || fail "Terminal 1 has no secret tmpfs mounted in a namespace of its own: run unshare --mount bash, then mount -t tmpfs secret /mnt in terminal 1 (steps 1 and 2)." \
  "终端 1 没有在它自己的命名空间里挂着 secret tmpfs：请在终端 1 里先运行 unshare --mount bash，再运行 mount -t tmpfs secret /mnt（第 1、2 步）。"
[ -f /proc/1/root/mnt/outside.txt ] || fail "The sandbox's own /mnt has no outside.txt yet: run echo \"written outside\" > /mnt/outside.txt in terminal 2." \
  "沙盒自己的 /mnt 里还没有 outside.txt：请在终端 2 里运行 echo \"written outside\" > /mnt/outside.txt。"
exit 0
