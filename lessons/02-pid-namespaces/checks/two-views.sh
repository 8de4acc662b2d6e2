# Passes when /tmp/inner-nspid holds the NSpid line of a bash that is still PID 1 of a nested PID
# namespace, as seen from the sandbox's namespace: "NSpid: <outer PID> 1" (proc(5)). Only a
# process outside the nested namespace can see both numbers, so the file proves the learner
# looked from outside (terminal 2).
f=/tmp/inner-nspid
[ -e "$f" ] || fail "There is no /tmp/inner-nspid yet: in terminal 2, run the three commands of this step." \
  "还没有 /tmp/inner-nspid：在终端 2 里运行这一步的三条命令。"
read -r label outer inner extra < "$f"
if [ "$label" != "NSpid:" ] || [ -z "$outer" ]; then
  fail "/tmp/inner-nspid does not hold an NSpid line: in terminal 2, run grep NSpid /proc/\$INNER/status | tee /tmp/inner-nspid." \
    "/tmp/inner-nspid 里不是 NSpid 行：在终端 2 里运行 grep NSpid /proc/\$INNER/status | tee /tmp/inner-nspid。"
fi
if [ -z "$inner" ]; then
  fail "/tmp/inner-nspid has only one number, the view from inside: run the commands of this step in terminal 2, outside the new namespace." \
    "/tmp/inner-nspid 里只有一个数字，那是从里面看到的：在终端 2 里（新命名空间外面）运行这一步的命令。"
fi
if [ "$inner" != 1 ] || [ -n "$extra" ]; then
  fail "/tmp/inner-nspid shows a process that is not PID 1 of the new namespace: set INNER to the bash below unshare in terminal 2, then run the grep again." \
    "/tmp/inner-nspid 记下的进程不是新命名空间的 1 号进程：在终端 2 里把 INNER 设为 unshare 下面的那个 bash，再运行一次 grep。"
fi
if ! grep -Eq "^NSpid:[[:space:]]+$outer[[:space:]]+1\$" "/proc/$outer/status" 2>/dev/null; then
  fail "PID $outer from /tmp/inner-nspid is no longer PID 1 of a nested namespace: keep unshare --fork --pid --mount-proc bash running in terminal 1, then run this step's commands in terminal 2 again." \
    "/tmp/inner-nspid 里的 $outer 号进程已不再是嵌套命名空间的 1 号进程：让终端 1 里的 unshare --fork --pid --mount-proc bash 保持运行，再在终端 2 里重新运行这一步的命令。"
fi
exit 0
