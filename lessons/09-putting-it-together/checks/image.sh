# Passes once the learner has added a file of their own to the prepared root filesystem: a
# non-empty /tmp/box/etc/motd (the lesson's set-up never writes one).
if [ ! -x /tmp/box/bin/busybox ]; then
  fail "/tmp/box/bin/busybox is missing: reload the lesson page to prepare /tmp/box again." \
       "/tmp/box/bin/busybox 不见了：刷新课程页面，重新准备 /tmp/box。"
fi
if [ ! -s /tmp/box/etc/motd ]; then
  fail "/tmp/box/etc/motd is still missing or empty: write a welcome line into it with echo '...' > /tmp/box/etc/motd." \
       "/tmp/box/etc/motd 还不存在或是空的：用 echo '...' > /tmp/box/etc/motd 往里写一行欢迎词。"
fi
exit 0
