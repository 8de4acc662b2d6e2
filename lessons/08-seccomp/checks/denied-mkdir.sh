# Passes when /tmp/seccomp-denied.txt holds what mkdir prints when the kernel refuses the mkdir
# system call with EPERM. Without a filter, root makes that directory without a word (or says
# "File exists"), so the sentence can only come from a seccomp filter.
f=/tmp/seccomp-denied.txt
if [ ! -s "$f" ]; then
  fail "/tmp/seccomp-denied.txt is missing or empty: run deny-syscall mkdir -- mkdir /tmp/seccomp-demo 2>&1 | tee /tmp/seccomp-denied.txt in terminal 1." \
       "/tmp/seccomp-denied.txt 不存在或是空的：在终端 1 里运行 deny-syscall mkdir -- mkdir /tmp/seccomp-demo 2>&1 | tee /tmp/seccomp-denied.txt。"
fi
if ! grep -Eq 'mkdir: cannot create directory .*/tmp/seccomp-demo.*: Operation not permitted' "$f"; then
  fail "/tmp/seccomp-denied.txt does not show mkdir refused with \"Operation not permitted\": run the deny-syscall mkdir line of this step again, exactly as written." \
       "/tmp/seccomp-denied.txt 里没有 mkdir 被 “Operation not permitted” 拒绝的记录：请照原样再运行一遍这一步的 deny-syscall mkdir 那一行。"
fi
exit 0
