# Passes when the cgroup "homemade" exists with the limits of docker run --memory 50m
# --pids-limit 64: 52428800 bytes of memory and 64 tasks (cgroups(7); v1 here, v2 elsewhere).
want_mem=52428800
if [ -d /sys/fs/cgroup/memory ]; then
  mem_dir=/sys/fs/cgroup/memory/homemade mem_file=memory.limit_in_bytes
  pids_dir=/sys/fs/cgroup/pids/homemade
else
  mem_dir=/sys/fs/cgroup/homemade mem_file=memory.max
  pids_dir=/sys/fs/cgroup/homemade
fi
if [ ! -d "$mem_dir" ] || [ ! -d "$pids_dir" ]; then
  fail "There is no cgroup called homemade yet (memory and pids): run cgcreate -g memory,pids:homemade." \
       "还没有名为 homemade 的 cgroup（memory 和 pids 两个控制器）：运行 cgcreate -g memory,pids:homemade。"
fi
mem=$(cat "$mem_dir/$mem_file" 2>/dev/null)
if [ "$mem" != "$want_mem" ]; then
  fail "homemade's memory limit is $mem, not 50M: echo 50M > $mem_dir/$mem_file" \
       "homemade 的内存上限是 $mem，不是 50M：运行 echo 50M > $mem_dir/$mem_file"
fi
pids=$(cat "$pids_dir/pids.max" 2>/dev/null)
if [ "$pids" != 64 ]; then
  fail "homemade's pids.max is $pids, not 64: echo 64 > $pids_dir/pids.max" \
       "homemade 的 pids.max 是 $pids，不是 64：运行 echo 64 > $pids_dir/pids.max"
fi
exit 0
