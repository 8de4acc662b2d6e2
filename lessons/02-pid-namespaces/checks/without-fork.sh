# Passes when some process made unshare(CLONE_NEWPID) without forking and that namespace's init
# has come and gone: its /proc/PID/ns/pid_for_children names a PID namespace other than its own,
# and no living process is in that namespace any more, so every fork(2) it tries fails with
# ENOMEM (pid_namespaces(7)). The link is unreadable while the namespace has had no init yet.
waiting=no
for dir in /proc/[0-9]*; do
  own=$(readlink "$dir/ns/pid" 2>/dev/null) || continue
  if ! children=$(readlink "$dir/ns/pid_for_children" 2>/dev/null); then
    grep -qx 'Name:[[:space:]]*bash' "$dir/status" 2>/dev/null && grep -q '^State:[[:space:]]*[RS]' "$dir/status" 2>/dev/null && waiting=yes
    continue
  fi
  [ "$children" != "$own" ] || continue
  alive=no
  for other in /proc/[0-9]*; do
    [ "$(readlink "$other/ns/pid" 2>/dev/null)" = "$children" ] && { alive=yes; break; }
  done
  [ "$alive" = no ] && exit 0
done
[ "$waiting" = no ] || fail "A shell is waiting for its first child in a new PID namespace: in terminal 2, run sh -c 'echo \"I am PID \$\$\"' there, twice." \
  "有一个 shell 正等着它的第一个子进程进入新的 PID 命名空间：在终端 2 里运行 sh -c 'echo \"I am PID \$\$\"'，运行两次。"
fail "No shell is stuck without --fork yet: in terminal 2, run unshare --pid bash, then sh -c 'echo \"I am PID \$\$\"' twice." \
  "还没有因为缺少 --fork 而卡住的 shell：在终端 2 里运行 unshare --pid bash，然后运行两次 sh -c 'echo \"I am PID \$\$\"'。"
