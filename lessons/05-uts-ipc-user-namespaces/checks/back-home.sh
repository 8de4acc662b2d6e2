# Passes when this lesson has been done (its file /tmp/host-uid exists) and no shell is left in a
# namespace it made: a nested user namespace, an IPC namespace of its own, or the UTS one of kiwi.
[ -e /tmp/host-uid ] || fail "This lesson's earlier steps come first (there is no /tmp/host-uid yet): start from step 3, Root, but whose root?" \
  "请先完成本课前面的步骤（还没有 /tmp/host-uid）：从第 3 步“root，可到底是谁的 root？”开始。"
top_user=$(readlink /proc/1/ns/user)
top_ipc=$(readlink /proc/1/ns/ipc)
top_uts=$(readlink /proc/1/ns/uts)
for d in /proc/[0-9]*; do
  [ "$(cat "$d/comm" 2>/dev/null)" = bash ] || continue
  [ "$(readlink "$d/ns/user" 2>/dev/null)" = "$top_user" ] || fail "A shell still runs in a nested user namespace: type exit in terminal 1." \
    "还有 shell 待在嵌套的用户命名空间里：请在终端 1 里执行 exit。"
  ipc=$(readlink "$d/ns/ipc" 2>/dev/null) && [ "$ipc" != "$top_ipc" ] && fail "A shell still runs in the IPC namespace of step 2: type exit in it." \
    "还有 shell 待在第 2 步的 IPC 命名空间里：请在那里执行 exit。"
  uts=$(readlink "$d/ns/uts" 2>/dev/null) && [ "$uts" != "$top_uts" ] && [ "$(nsenter -t "${d#/proc/}" --uts hostname 2>/dev/null)" = kiwi ] &&
    fail "A shell still runs in kiwi's UTS namespace: type exit in it." "还有 shell 待在 kiwi 的 UTS 命名空间里：请在那里执行 exit。"
done
exit 0
