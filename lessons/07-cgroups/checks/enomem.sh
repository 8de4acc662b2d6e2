# Passes when /tmp/enomem.txt holds the error of an allocation refused with ENOMEM ("Cannot
# allocate memory", errno 12), which the step's ulimit -v line writes there with tee.
if [ ! -s /tmp/enomem.txt ]; then
  fail "/tmp/enomem.txt is missing or empty: run the ulimit -v line of this step, with | tee /tmp/enomem.txt at its end." \
       "/tmp/enomem.txt 不存在或是空的：运行这一步里那行 ulimit -v，结尾要带上 | tee /tmp/enomem.txt。"
fi
if ! grep -q 'Cannot allocate memory' /tmp/enomem.txt; then
  fail "/tmp/enomem.txt does not say Cannot allocate memory: run the ulimit -v line again, exactly as shown (the parentheses matter)." \
       "/tmp/enomem.txt 里没有 Cannot allocate memory：照原样再运行一次那行 ulimit -v（括号不能少）。"
fi
exit 0
