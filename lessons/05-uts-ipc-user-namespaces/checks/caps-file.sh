# Passes when /tmp/caps-sandbox holds the CapEff line of a shell of the sandbox's own user
# namespace: the same mask as the terminals' shells (PPid 0) have.
want=
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  [ "$d" = "/proc/$$" ] && continue  # this check's own bash, started from outside too
  grep -qx 'PPid:[[:space:]]*0' "$d/status" 2>/dev/null || continue
  want=$(awk '/^CapEff:/ {print $2}' "$d/status")
  break
done
[ -n "$want" ] || want=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
[ -e /tmp/caps-sandbox ] || fail "/tmp/caps-sandbox does not exist yet: run grep CapEff /proc/self/status > /tmp/caps-sandbox in terminal 1." \
  "/tmp/caps-sandbox 还不存在：请在终端 1 里执行 grep CapEff /proc/self/status > /tmp/caps-sandbox。"
got=$(awk '/^CapEff:/ {print $2}' /tmp/caps-sandbox)
[ "$got" = "$want" ] || fail "/tmp/caps-sandbox holds \"${got:-no CapEff line}\", not the sandbox shell's $want: run grep CapEff /proc/self/status > /tmp/caps-sandbox in the sandbox's own shell." \
  "/tmp/caps-sandbox 里是“${got:-没有 CapEff 行}”，而不是沙盒 shell 的 $want：请在沙盒自己的 shell 里执行 grep CapEff /proc/self/status > /tmp/caps-sandbox。"
exit 0
