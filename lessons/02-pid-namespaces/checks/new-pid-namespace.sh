# Passes when some bash is PID 1 of a PID namespace nested in the sandbox's, with a /proc that
# describes that namespace (what --mount-proc gives it). The candidates come from the explorer's
# snapshot, the picture the page shows: a bash whose NSpid, from the sandbox's namespace inward,
# ends in 1 (proc(5), NSpid). The /proc it sees is reached through /proc/PID/root, in its own
# mount namespace, and that /proc's PID 1 must be in the same PID namespace as the bash itself.
found_old_proc=no
for pid in $(explorer process | awk -F'\t' '$8 == "bash" && $2 ~ /,1$/ { print $1 }'); do
  own=$(readlink "/proc/$pid/ns/pid" 2>/dev/null) || continue
  seen=$(readlink "/proc/$pid/root/proc/1/ns/pid" 2>/dev/null)
  [ "$seen" = "$own" ] && exit 0
  found_old_proc=yes
done
[ "$found_old_proc" = no ] || fail "A bash is PID 1 of a new PID namespace, but its /proc still shows the old world: exit it and run unshare --fork --pid --mount-proc bash in terminal 1." \
  "有一个 bash 已是新 PID 命名空间的 1 号进程，但它的 /proc 仍显示旧世界：退出它，然后在终端 1 里运行 unshare --fork --pid --mount-proc bash。"
fail "No bash is PID 1 of a new PID namespace yet: run unshare --fork --pid --mount-proc bash in terminal 1." \
  "还没有哪个 bash 成为新 PID 命名空间的 1 号进程：在终端 1 里运行 unshare --fork --pid --mount-proc bash。"
