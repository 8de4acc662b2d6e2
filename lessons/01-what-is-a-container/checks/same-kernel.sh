# Passes when /tmp/kernel-release holds the release of the running kernel, read here from
# /proc/sys/kernel/osrelease (the string uname(2) returns).
f=/tmp/kernel-release
[ -e "$f" ] || fail "There is no /tmp/kernel-release yet: run uname -r | tee /tmp/kernel-release in terminal 1." \
  "还没有 /tmp/kernel-release：在终端 1 里运行 uname -r | tee /tmp/kernel-release。"
want=$(cat /proc/sys/kernel/osrelease)
got=$(tr -d '[:space:]' < "$f")
[ "$got" = "$want" ] || fail "/tmp/kernel-release says \"$got\", but the running kernel is $want: run uname -r | tee /tmp/kernel-release again." \
  "/tmp/kernel-release 里写的是“$got”，可正在运行的内核是 $want：再运行一次 uname -r | tee /tmp/kernel-release。"
exit 0
