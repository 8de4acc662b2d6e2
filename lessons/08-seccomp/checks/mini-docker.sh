# Passes when /tmp/seccomp-docker.txt holds unshare's refusal. In this sandbox unshare --uts
# works without a filter (it prints nothing), so "Operation not permitted" there can only come
# from the learner's Docker-like filter.
f=/tmp/seccomp-docker.txt
if [ ! -s "$f" ]; then
  fail "/tmp/seccomp-docker.txt is missing or empty: start the filtered bash of this step (deny-syscall unshare,... -- bash), then run unshare --uts true 2>&1 | tee /tmp/seccomp-docker.txt in it." \
       "/tmp/seccomp-docker.txt 不存在或是空的：先启动这一步那个带过滤器的 bash（deny-syscall unshare,... -- bash），再在里面运行 unshare --uts true 2>&1 | tee /tmp/seccomp-docker.txt。"
fi
if ! grep -q 'unshare failed: Operation not permitted' "$f"; then
  fail "/tmp/seccomp-docker.txt does not show unshare refused: run unshare --uts true 2>&1 | tee /tmp/seccomp-docker.txt inside the filtered bash, not outside it." \
       "/tmp/seccomp-docker.txt 里看不到 unshare 被拒绝：要在带过滤器的 bash 里面运行 unshare --uts true 2>&1 | tee /tmp/seccomp-docker.txt，而不是在外面。"
fi
exit 0
