# Passes when mycoolgroup's memory limit is about 10 MB. The kernel rounds the number written
# down to whole pages: 10000000 reads back as 9998336 with 4 KiB pages. v1 keeps the limit in
# memory.limit_in_bytes (unlimited reads 9223372036854771712), v2 in memory.max (unlimited: max).
if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
  CG=/sys/fs/cgroup/mycoolgroup; F=memory.max
else
  CG=/sys/fs/cgroup/memory/mycoolgroup; F=memory.limit_in_bytes
fi
[ -e "$CG/$F" ] || fail "There is no memory cgroup mycoolgroup: go back to the first step and run cgcreate -g memory:mycoolgroup." \
                        "没有名为 mycoolgroup 的内存 cgroup：回到第一步，运行 cgcreate -g memory:mycoolgroup。"
limit=$(cat "$CG/$F" 2>/dev/null)
case "$limit" in
  ''|*[!0-9]*|9223372036854771712)
    fail "mycoolgroup has no memory limit yet ($F says $limit). Write it with echo 10000000 > $CG/$F (not memory.kmem.limit_in_bytes)." \
         "mycoolgroup 还没有内存上限（$F 的值是 $limit）。用 echo 10000000 > $CG/$F 写入（不是 memory.kmem.limit_in_bytes）。" ;;
esac
if [ "$limit" -lt 9000000 ] || [ "$limit" -gt 10485760 ]; then
  fail "mycoolgroup's limit is $limit bytes, not about 10 MB: run echo 10000000 > $CG/$F" \
       "mycoolgroup 的上限是 $limit 字节，不是 10 MB 左右：运行 echo 10000000 > $CG/$F"
fi
exit 0
