# Passes when terminal 2 is open while the nested bash from the previous step still runs.
# A terminal's shell is started from outside the sandbox's PID namespace, so inside it has
# parent PID 0; count those login shells.
shells=0
nested=no
for status in /proc/[0-9]*/status; do
  grep -qx 'Name:[[:space:]]*bash' "$status" 2>/dev/null || continue
  grep -qx 'PPid:[[:space:]]*0' "$status" && shells=$((shells + 1))
  grep -Eq '^NSpid:[[:space:]]+[0-9]+[[:space:]]+1$' "$status" && nested=yes
done
if [ "$nested" != yes ]; then
  echo "The bash that was PID 1 in terminal 1 is gone: run unshare --fork --pid --mount-proc bash there again."
  exit 1
fi
if [ "$shells" -lt 2 ]; then
  echo "Open terminal 2 (the New terminal button, or a Run button of this step) and look from there."
  exit 1
fi
exit 0
