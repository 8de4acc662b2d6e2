# Passes when nothing of this lesson is left: no process lives in a PID namespace nested in the
# sandbox's, none is stuck with a pid_for_children that differs from its own PID namespace (the
# unshare without --fork), and /tmp/pid-ns-after, written by terminal 1 after leaving, names the
# sandbox's own PID namespace (namespaces(7)).
sandbox=$(readlink /proc/self/ns/pid)
stuck=
for dir in /proc/[0-9]*; do
  own=$(readlink "$dir/ns/pid" 2>/dev/null) || continue
  if [ "$own" != "$sandbox" ]; then
    name=$(cat "$dir/comm" 2>/dev/null)
    fail "$name (PID ${dir#/proc/} out here) still runs in a nested PID namespace: type exit in the terminal that runs it (terminal 1 or 2)." \
      "$name（在外面是 ${dir#/proc/} 号）还在一个嵌套的 PID 命名空间里运行：在运行它的那个终端（终端 1 或 2）里输入 exit。"
  fi
  # Unreadable while an unshare(CLONE_NEWPID) is still waiting for its first child.
  children=$(readlink "$dir/ns/pid_for_children" 2>/dev/null) || children=waiting
  [ "$children" = "$sandbox" ] || stuck=${stuck:-"$(cat "$dir/comm" 2>/dev/null) ${dir#/proc/}"}
done
if [ -n "$stuck" ]; then
  fail "${stuck% *} (PID ${stuck##* }) still has a new PID namespace for its children, like the unshare without --fork: type exit in the terminal that runs it." \
    "${stuck% *}（PID ${stuck##* }）仍为它的子进程留着一个新的 PID 命名空间，就像不带 --fork 的 unshare 那样：在运行它的那个终端里输入 exit。"
fi
f=/tmp/pid-ns-after
[ -e "$f" ] || fail "There is no /tmp/pid-ns-after yet: in terminal 1, run readlink /proc/self/ns/pid | tee /tmp/pid-ns-after." \
  "还没有 /tmp/pid-ns-after：在终端 1 里运行 readlink /proc/self/ns/pid | tee /tmp/pid-ns-after。"
got=$(tr -d '[:space:]' < "$f")
[ "$got" = "$sandbox" ] || fail "/tmp/pid-ns-after says \"$got\", not the sandbox's $sandbox: it was written inside a namespace; run readlink /proc/self/ns/pid | tee /tmp/pid-ns-after in terminal 1 again." \
  "/tmp/pid-ns-after 里写的是“$got”，不是沙盒的 $sandbox：它是在某个命名空间里面写的；在终端 1 里再运行一次 readlink /proc/self/ns/pid | tee /tmp/pid-ns-after。"
exit 0
