# Prepares the "image" of this lesson's homemade container: a tiny root filesystem in /tmp/box
# made of one static busybox binary and a symlink per applet, the way a learner could by hand:
#
#   mkdir -p /tmp/box/bin /tmp/box/proc ...
#   cp /bin/busybox /tmp/box/bin/
#   chroot /tmp/box /bin/busybox --install -s /bin
#
# Runs as the sandbox's root before the first step; idempotent (it only adds what is missing and
# never touches files a learner wrote, e.g. /tmp/box/etc/motd); starts no process that lingers.
set -eu
B=/tmp/box
mkdir -p "$B/bin" "$B/etc" "$B/proc" "$B/root" "$B/tmp"
chmod 1777 "$B/tmp"
chmod 0700 "$B/root"
cmp -s /bin/busybox "$B/bin/busybox" || cp /bin/busybox "$B/bin/busybox"
# One symlink per applet: sh, ls, ps, mount, hostname, ip ... all pointing at /bin/busybox.
# Existing links are left alone (busybox does not overwrite them).
chroot "$B" /bin/busybox --install -s /bin 2>/dev/null || true
# A user database, so that ps and ls print "root" rather than 0.
[ -s "$B/etc/passwd" ] || printf 'root:x:0:0:root:/root:/bin/sh\n' > "$B/etc/passwd"
[ -s "$B/etc/group" ] || printf 'root:x:0:\n' > "$B/etc/group"
[ -x "$B/bin/sh" ] || fail "Could not prepare /tmp/box (no /tmp/box/bin/sh)." "没能准备好 /tmp/box（缺少 /tmp/box/bin/sh）。"
