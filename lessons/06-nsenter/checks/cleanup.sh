# Passes when this lesson has been done (its file /tmp/container-pid exists) and no bash is left in
# the nutshell's UTS namespace: neither the container's PID 1 nor a shell that entered it.
[ -e /tmp/container-pid ] || fail "This lesson's earlier steps come first (there is no /tmp/container-pid yet): start from step 1." \
  "请先完成本课前面的步骤（还没有 /tmp/container-pid）：从第 1 步开始。"
top_uts=$(readlink /proc/1/ns/uts)
box=no
visitor=no
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  uts=$(readlink "$d/ns/uts" 2>/dev/null) || continue
  [ "$uts" = "$top_uts" ] && continue
  [ "$(nsenter -t "${d#/proc/}" --uts hostname 2>/dev/null)" = nutshell ] || continue
  if awk '/^NSpid:/ { exit !(NF >= 3 && $NF == 1) }' "$d/status" 2>/dev/null; then box=yes; else visitor=yes; fi
done
[ "$visitor" = no ] || fail "A shell in terminal 2 is still inside the nutshell's namespaces: type exit there." \
  "终端 2 里还有 shell 待在 nutshell 的命名空间里：请在那里执行 exit。"
[ "$box" = no ] || fail "The container still runs in terminal 1: type exit there." \
  "容器还在终端 1 里运行：请在那里执行 exit。"
exit 0
