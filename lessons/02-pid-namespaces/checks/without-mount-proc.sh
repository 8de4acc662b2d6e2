# Passes when some bash is PID 1 of a nested PID namespace (NSpid "<outer> 1", proc(5)) but the
# /proc it sees, reached through /proc/PID/root in its own mount namespace, still describes the
# sandbox's PID namespace: its PID 1 is the sandbox's PID 1. That is unshare --fork --pid without
# --mount-proc.
sandbox=$(readlink /proc/self/ns/pid)
for status in /proc/[0-9]*/status; do
  grep -qx 'Name:[[:space:]]*bash' "$status" 2>/dev/null || continue
  grep -Eq '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "$status" 2>/dev/null || continue
  dir=${status%/status}
  [ "$(readlink "$dir/root/proc/1/ns/pid" 2>/dev/null)" = "$sandbox" ] && exit 0
done
fail "No bash is PID 1 of a new namespace while still seeing the old /proc: in terminal 2, exit the stuck shell, then run unshare --fork --pid bash (without --mount-proc)." \
  "还没有哪个 bash 既是新命名空间的 1 号进程、又仍看着旧的 /proc：在终端 2 里先 exit 离开卡住的 shell，再运行 unshare --fork --pid bash（不带 --mount-proc）。"
