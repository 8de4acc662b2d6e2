# Passes when some bash is PID 1 of a PID namespace nested in the sandbox's: its NSpid line, read
# from the sandbox's own /proc, has two numbers and the inner one is 1 (proc(5), NSpid).
for status in /proc/[0-9]*/status; do
  if grep -qx 'Name:[[:space:]]*bash' "$status" 2>/dev/null && grep -Eq '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "$status" 2>/dev/null; then
    exit 0
  fi
done
echo "No bash is PID 1 of a new PID namespace yet: run unshare --fork --pid --mount-proc bash in terminal 1."
exit 1
