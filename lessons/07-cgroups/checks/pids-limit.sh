# Passes when the pids cgroup "tinypids" has a limit and a fork in it has already been refused
# for it: pids.events counts those as "max" (same file on cgroup v1 and v2).
if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
  P=/sys/fs/cgroup/tinypids
else
  P=/sys/fs/cgroup/pids/tinypids
fi
[ -e "$P/pids.max" ] || fail "There is no pids cgroup called tinypids yet: run cgcreate -g pids:tinypids in terminal 1." \
                             "还没有名为 tinypids 的 pids cgroup：在终端 1 里运行 cgcreate -g pids:tinypids。"
max=$(cat "$P/pids.max")
if [ "$max" = max ]; then
  fail "tinypids has no limit yet (pids.max says max): run echo 5 > $P/pids.max" \
       "tinypids 还没有上限（pids.max 的值是 max）：运行 echo 5 > $P/pids.max"
fi
refused=$(awk '$1 == "max" { print $2 }' "$P/pids.events")
if [ "${refused:-0}" -lt 1 ]; then
  fail "No fork has hit tinypids' limit yet: run the busybox sh loop with cgexec -g pids:tinypids." \
       "tinypids 里还没有 fork 撞上限：用 cgexec -g pids:tinypids 运行那个 busybox sh 循环。"
fi
exit 0
