# Passes when this lesson has been done (/tmp/inside.pid exists) and nothing of it is left: no
# process has the secret tmpfs in its mount table, no bash of the sandbox's PID namespace is in a
# mount namespace of its own, and outside.txt is gone from the sandbox's /mnt.
[ -e /tmp/inside.pid ] || fail "This lesson's earlier steps come first (there is no /tmp/inside.pid yet): start from step 1." \
  "请先完成本课前面的步骤（还没有 /tmp/inside.pid）：从第 1 步开始。"
secret() { awk '$5 == "/mnt" { for (i = 6; i < NF; i++) if ($i == "-") { if ($(i + 1) == "tmpfs" && $(i + 2) == "secret") found = 1; break } } END { exit !found }' "$1" 2>/dev/null; }
secret /proc/1/mountinfo && fail "The secret tmpfs is mounted in the sandbox's own namespace: run umount /mnt in terminal 2." \
  "secret 这个 tmpfs 挂在了沙盒自己的命名空间里：请在终端 2 里运行 umount /mnt。"
top_mnt=$(readlink /proc/1/ns/mnt)
top_pid=$(readlink /proc/1/ns/pid)
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  [ "$(readlink "$d/ns/pid" 2>/dev/null)" = "$top_pid" ] || continue
  mnt=$(readlink "$d/ns/mnt" 2>/dev/null) || continue
  [ "$mnt" = "$top_mnt" ] || fail "Terminal 1 is still in its own mount namespace: type exit there." \
    "终端 1 还待在它自己的挂载命名空间里：请在那里输入 exit。"
done
for d in /proc/[0-9]*; do
  mnt=$(readlink "$d/ns/mnt" 2>/dev/null) || continue
  [ "$mnt" != "$top_mnt" ] && secret "$d/mountinfo" || continue
  name=$(cat "$d/comm" 2>/dev/null)
  fail "$name (PID ${d#/proc/}) still holds the mount namespace with the secret tmpfs: end it with kill ${d#/proc/}." \
    "$name（PID ${d#/proc/}）还占着挂有 secret tmpfs 的那个挂载命名空间：用 kill ${d#/proc/} 结束它。"
done
[ -e /proc/1/root/mnt/outside.txt ] && fail "Almost: remove the file left in the sandbox's /mnt with rm /mnt/outside.txt." \
  "差一点：请用 rm /mnt/outside.txt 删掉留在沙盒 /mnt 里的文件。"
exit 0
