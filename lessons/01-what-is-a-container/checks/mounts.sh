# Passes when /tmp/root-fstype holds the type of the file system mounted at / in the sandbox's
# mount namespace: the last mountinfo line whose mount point is / (proc(5), /proc/PID/mountinfo;
# the type is the first field after the "-" separator).
f=/tmp/root-fstype
[ -e "$f" ] || fail "There is no /tmp/root-fstype yet: run findmnt -n -o FSTYPE / | tee /tmp/root-fstype in terminal 1." \
  "还没有 /tmp/root-fstype：在终端 1 里运行 findmnt -n -o FSTYPE / | tee /tmp/root-fstype。"
want=$(awk '$5 == "/" { for (i = 7; i <= NF; i++) if ($i == "-") { t = $(i + 1); break } } END { print t }' /proc/self/mountinfo)
got=$(tr -d '[:space:]' < "$f")
[ "$got" = "$want" ] || fail "/tmp/root-fstype says \"$got\", but / in this sandbox is a $want file system: run findmnt -n -o FSTYPE / | tee /tmp/root-fstype in terminal 1." \
  "/tmp/root-fstype 里写的是“$got”，可这个沙盒的 / 是 $want 文件系统：在终端 1 里运行 findmnt -n -o FSTYPE / | tee /tmp/root-fstype。"
exit 0
