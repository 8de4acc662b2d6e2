# Passes when /tmp/homemade-report, written from terminal 2, names the PID namespace of the
# running homemade container (a process whose root is /tmp/box): the learner really looked at
# the container from outside.
if [ ! -s /tmp/homemade-report ]; then
  fail "/tmp/homemade-report does not exist yet: in terminal 2, set C and run the for loop that ends in | tee /tmp/homemade-report." \
       "/tmp/homemade-report 还不存在：在终端 2 里先设置 C，再运行以 | tee /tmp/homemade-report 结尾的 for 循环。"
fi
box_ns=
for dir in /proc/[0-9]*; do
  [ "$(readlink "$dir/root" 2>/dev/null)" = /tmp/box ] || continue
  ns=$(readlink "$dir/ns/pid" 2>/dev/null) || continue
  box_ns="$box_ns $ns"
  if grep -qF "box $ns" /tmp/homemade-report; then
    exit 0
  fi
done
if [ -z "$box_ns" ]; then
  fail "The homemade container is not running any more: start it again in terminal 1 (step 3), then redo this step." \
       "homemade 容器已经不在运行了：在终端 1 里重新启动它（第 3 步），然后重做这一步。"
fi
fail "/tmp/homemade-report does not show the box's PID namespace ($box_ns): C=\$(pgrep -n -P \"\$(pgrep -n -x unshare)\") first, then run the loop again." \
     "/tmp/homemade-report 里没有盒子的 PID 命名空间（$box_ns）：先运行 C=\$(pgrep -n -P \"\$(pgrep -n -x unshare)\")，再跑一遍那个循环。"
