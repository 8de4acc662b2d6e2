# Passes when the cpu cgroup "slowgroup" has a quota (cpu.cfs_quota_us on v1, the first field of
# cpu.max on v2), was throttled at least once (nr_throttled in cpu.stat), and, as the lesson's
# last step, nothing runs any more in slowgroup, mycoolgroup or tinypids.
if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
  C=/sys/fs/cgroup/slowgroup
  [ -e "$C/cpu.max" ] || fail "There is no cpu cgroup called slowgroup yet: run cgcreate -g cpu:slowgroup in terminal 1." \
                              "还没有名为 slowgroup 的 cpu cgroup：在终端 1 里运行 cgcreate -g cpu:slowgroup。"
  quota=$(cut -d' ' -f1 "$C/cpu.max")
  GROUPS_LEFT="/sys/fs/cgroup/slowgroup /sys/fs/cgroup/mycoolgroup /sys/fs/cgroup/tinypids"
else
  C=/sys/fs/cgroup/cpu/slowgroup
  [ -e "$C/cpu.cfs_quota_us" ] || fail "There is no cpu cgroup called slowgroup yet: run cgcreate -g cpu:slowgroup in terminal 1." \
                                       "还没有名为 slowgroup 的 cpu cgroup：在终端 1 里运行 cgcreate -g cpu:slowgroup。"
  quota=$(cat "$C/cpu.cfs_quota_us")
  GROUPS_LEFT="/sys/fs/cgroup/cpu/slowgroup /sys/fs/cgroup/memory/mycoolgroup /sys/fs/cgroup/pids/tinypids"
fi
case "$quota" in
  max|-1|'')
    fail "slowgroup has no CPU quota yet: run the if line of this step that writes 10000 into it." \
         "slowgroup 还没有 CPU 配额：运行这一步里那行往里写 10000 的 if。" ;;
esac
throttled=$(awk '$1 == "nr_throttled" { print $2 }' "$C/cpu.stat")
if [ "${throttled:-0}" -lt 1 ]; then
  fail "slowgroup has never been throttled yet: run the time cgexec -g cpu:slowgroup timeout 3 ... line." \
       "slowgroup 还从没被限流过：运行那行 time cgexec -g cpu:slowgroup timeout 3 ……"
fi
for g in $GROUPS_LEFT; do
  [ -e "$g/cgroup.procs" ] || continue
  left=$(paste -sd' ' "$g/cgroup.procs")
  if [ -n "$left" ]; then
    fail "Something still runs in ${g##*/} (PID $left): wait for it to end, or type exit in terminal 1 if you are in a shell started with cgexec." \
         "${g##*/} 里还有进程在运行（PID $left）：等它结束；如果你还在用 cgexec 启动的 shell 里，就在终端 1 里输入 exit。"
  fi
done
exit 0
