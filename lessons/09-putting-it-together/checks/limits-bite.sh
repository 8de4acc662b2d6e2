# Passes when both limits of the cgroup homemade have been hit: the memory controller has
# OOM-killed something in it (v1 memory.oom_control / v2 memory.events, field oom_kill) and the
# pids controller has refused a fork (pids.events, field max). cgroups(7).
if [ -d /sys/fs/cgroup/memory ]; then
  oom_file=/sys/fs/cgroup/memory/homemade/memory.oom_control
  pids_file=/sys/fs/cgroup/pids/homemade/pids.events
else
  oom_file=/sys/fs/cgroup/homemade/memory.events
  pids_file=/sys/fs/cgroup/homemade/pids.events
fi
if [ ! -e "$oom_file" ] || [ ! -e "$pids_file" ]; then
  fail "There is no cgroup homemade: make it (step 2) and start the container in it (step 3) first." \
       "没有名为 homemade 的 cgroup：先创建它（第 2 步），再在里面启动容器（第 3 步）。"
fi
kills=$(sed -n 's/^oom_kill[[:space:]]*//p' "$oom_file")
if [ "${kills:-0}" -lt 1 ]; then
  fail "Nothing in homemade has been OOM-killed yet: run the awk memory hog inside the box until it says Killed." \
       "homemade 里还没有进程被 OOM 杀掉：在盒子里运行那个吃内存的 awk，直到它显示 Killed。"
fi
refused=$(sed -n 's/^max[[:space:]]*//p' "$pids_file")
if [ "${refused:-0}" -lt 1 ]; then
  fail "homemade has not refused a fork yet: run the loop of background sleeps inside the box until the shell says can't fork." \
       "homemade 还没拒绝过 fork：在盒子里运行后台 sleep 的循环，直到 shell 提示 can't fork。"
fi
exit 0
