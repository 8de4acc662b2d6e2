# Passes when the OOM killer has killed something in mycoolgroup (oom_kill >= 1: in
# memory.oom_control on cgroup v1, memory.events on v2), the limit was hit (memory.failcnt > 0 on
# v1, the "max" event on v2), and nothing runs in the group any more (the learner left the bash
# started with cgexec).
if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
  CG=/sys/fs/cgroup/mycoolgroup
  [ -e "$CG/memory.events" ] || fail "There is no memory cgroup mycoolgroup: go back to the first step and run cgcreate -g memory:mycoolgroup." \
                                     "没有名为 mycoolgroup 的内存 cgroup：回到第一步，运行 cgcreate -g memory:mycoolgroup。"
  kills=$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.events")
  hits=$(awk '$1 == "max" { print $2 }' "$CG/memory.events")
else
  CG=/sys/fs/cgroup/memory/mycoolgroup
  [ -e "$CG/memory.oom_control" ] || fail "There is no memory cgroup mycoolgroup: go back to the first step and run cgcreate -g memory:mycoolgroup." \
                                          "没有名为 mycoolgroup 的内存 cgroup：回到第一步，运行 cgcreate -g memory:mycoolgroup。"
  kills=$(awk '$1 == "oom_kill" { print $2 }' "$CG/memory.oom_control")
  hits=$(cat "$CG/memory.failcnt")
fi
if [ "${kills:-0}" -lt 1 ]; then
  fail "Nothing has been killed in mycoolgroup yet: run cgexec -g memory:mycoolgroup bash in terminal 1, then the python3 line in that shell." \
       "mycoolgroup 里还没有进程被杀掉：在终端 1 里运行 cgexec -g memory:mycoolgroup bash，再在那个 shell 里运行那行 python3。"
fi
if [ "${hits:-0}" -lt 1 ]; then
  fail "mycoolgroup never reached its limit (the failure counter is 0): run the python3 line inside cgexec -g memory:mycoolgroup bash." \
       "mycoolgroup 从没碰到过上限（失败计数是 0）：在 cgexec -g memory:mycoolgroup bash 里运行那行 python3。"
fi
left=$(paste -sd' ' "$CG/cgroup.procs")
if [ -n "$left" ]; then
  fail "Something still runs in mycoolgroup (PID $left): type exit in terminal 1 to leave the bash you started with cgexec." \
       "mycoolgroup 里还有进程在运行（PID $left）：在终端 1 里输入 exit，离开用 cgexec 启动的 bash。"
fi
exit 0
