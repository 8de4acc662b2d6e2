# Passes when the lesson's container has been taken down: no process is chrooted into /tmp/box
# any more and the cgroup homemade is deleted. The image (/tmp/box with the learner's motd)
# stays; the motd is also what shows that this lesson was done at all, so an untouched sandbox
# does not pass.
if [ ! -s /tmp/box/etc/motd ]; then
  fail "This lesson's container was never built here: start at step 1 (the motd in /tmp/box/etc)." \
       "这里还没造过本课的容器：从第 1 步开始（/tmp/box/etc 里的 motd）。"
fi
for dir in /proc/[0-9]*; do
  if [ "$(readlink "$dir/root" 2>/dev/null)" = /tmp/box ]; then
    fail "A process still runs inside /tmp/box (PID ${dir#/proc/}): type exit in the box's shell (prompt / #) in terminal 1." \
         "/tmp/box 里还有进程在运行（PID ${dir#/proc/}）：在终端 1 盒子里的 shell（提示符 / #）中输入 exit。"
  fi
done
if [ -d /sys/fs/cgroup/memory/homemade ] || [ -d /sys/fs/cgroup/pids/homemade ] || [ -d /sys/fs/cgroup/homemade ]; then
  left=$(ls -d /sys/fs/cgroup/memory/homemade /sys/fs/cgroup/pids/homemade /sys/fs/cgroup/homemade 2>/dev/null | tr '\n' ' ')
  fail "The cgroup homemade still exists: rmdir $left" \
       "cgroup homemade 还在：运行 rmdir $left"
fi
exit 0
