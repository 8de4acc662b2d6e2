# Passes when the memory cgroup "mycoolgroup" exists: /sys/fs/cgroup/memory/mycoolgroup on
# cgroup v1 (one tree per controller), /sys/fs/cgroup/mycoolgroup with memory files on v2 (one
# unified tree, detected by its filesystem type cgroup2fs). See cgroups(7).
if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]; then
  CG=/sys/fs/cgroup/mycoolgroup; TYPO=/sys/fs/cgroup/mycoolgrou; LIMIT=memory.max
else
  CG=/sys/fs/cgroup/memory/mycoolgroup; TYPO=/sys/fs/cgroup/memory/mycoolgrou; LIMIT=memory.limit_in_bytes
fi
if [ ! -d "$CG" ]; then
  if [ -d "$TYPO" ]; then
    fail "You made mycoolgrou (the article's typo). The rest of the lesson uses mycoolgroup: run cgcreate -g memory:mycoolgroup in terminal 1." \
         "你创建的是 mycoolgrou（原文的笔误）。本课后面用的是 mycoolgroup：在终端 1 里运行 cgcreate -g memory:mycoolgroup。"
  fi
  fail "There is no memory cgroup called mycoolgroup yet: run cgcreate -g memory:mycoolgroup in terminal 1." \
       "还没有名为 mycoolgroup 的内存 cgroup：在终端 1 里运行 cgcreate -g memory:mycoolgroup。"
fi
if [ ! -e "$CG/$LIMIT" ]; then
  fail "mycoolgroup exists but has no memory controller ($LIMIT is missing): run cgcreate -g memory:mycoolgroup in terminal 1." \
       "mycoolgroup 已存在，但没有启用内存控制器（缺少 $LIMIT）：在终端 1 里运行 cgcreate -g memory:mycoolgroup。"
fi
exit 0
