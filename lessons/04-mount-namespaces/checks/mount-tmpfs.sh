# Passes when some process outside the sandbox's mount namespace has a tmpfs named "secret"
# mounted on /mnt (its /proc/PID/mountinfo: field 5 is the mount point, the two fields after the
# dash are type and source) with note.txt in it, read through /proc/PID/root, which resolves
# paths in that process's own mounts; and the sandbox's own namespace has no such mount.
secret() { awk '$5 == "/mnt" { for (i = 6; i < NF; i++) if ($i == "-") { if ($(i + 1) == "tmpfs" && $(i + 2) == "secret") found = 1; break } } END { exit !found }' "$1" 2>/dev/null; }
if secret /proc/1/mountinfo; then
  fail "The secret tmpfs is mounted in the sandbox's own namespace, visible to every terminal: run umount /mnt in the terminal that mounted it, then mount it again in the unshared bash of terminal 1." \
    "secret 这个 tmpfs 挂在了沙盒自己的命名空间里，所有终端都看得见：请在挂载它的那个终端里运行 umount /mnt，再到终端 1 里 unshare 出来的 bash 中重新挂载。"
fi
top=$(readlink /proc/1/ns/mnt)
mounted=no
for d in /proc/[0-9]*; do
  mnt=$(readlink "$d/ns/mnt" 2>/dev/null) || continue
  [ "$mnt" != "$top" ] || continue
  secret "$d/mountinfo" || continue
  mounted=yes
  [ -f "$d/root/mnt/note.txt" ] && exit 0
done
[ "$mounted" = yes ] || fail "No tmpfs called secret on /mnt in a new mount namespace yet: in the unshared bash of terminal 1, run mount -t tmpfs secret /mnt." \
  "新的挂载命名空间里还没有名叫 secret 的 tmpfs 挂在 /mnt 上：请在终端 1 里 unshare 出来的 bash 中运行 mount -t tmpfs secret /mnt。"
fail "The secret tmpfs is mounted; now leave a note in it: echo \"only terminal 1 can see me\" > /mnt/note.txt in terminal 1." \
  "secret 已经挂好了；现在往里放张纸条：在终端 1 里运行 echo \"only terminal 1 can see me\" > /mnt/note.txt。"
