# Passes when some bash is PID 1 of a PID namespace nested in the sandbox's, with a /proc that
# describes that namespace (what --mount-proc gives it). Its NSpid line, read from the sandbox's
# /proc, has two numbers and the inner one is 1 (proc(5), NSpid); the /proc it sees is reached
# through /proc/PID/root, in its own mount namespace, and that /proc's PID 1 must be in the same
# PID namespace as the bash itself.
found_old_proc=no
for status in /proc/[0-9]*/status; do
  grep -qx 'Name:[[:space:]]*bash' "$status" 2>/dev/null || continue
  grep -Eq '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "$status" 2>/dev/null || continue
  dir=${status%/status}
  own=$(readlink "$dir/ns/pid" 2>/dev/null) || continue
  seen=$(readlink "$dir/root/proc/1/ns/pid" 2>/dev/null)
  [ "$seen" = "$own" ] && exit 0
  found_old_proc=yes
done
[ "$found_old_proc" = no ] || fail "A bash is PID 1 of a new PID namespace, but its /proc still shows the old world: exit it and run unshare --fork --pid --mount-proc bash in terminal 1." \
  "有一个 bash 已是新 PID 命名空间的 1 号进程，但它的 /proc 仍显示旧世界：退出它，然后在终端 1 里运行 unshare --fork --pid --mount-proc bash。"
fail "No bash is PID 1 of a new PID namespace yet: run unshare --fork --pid --mount-proc bash in terminal 1." \
  "还没有哪个 bash 成为新 PID 命名空间的 1 号进程：在终端 1 里运行 unshare --fork --pid --mount-proc bash。"
