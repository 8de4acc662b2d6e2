# Passes when TCP port 8080 is listened on both in the sandbox's own network namespace and in
# another one. Each process's /proc/PID/net/tcp{,6} is the socket table of ITS namespace, so read
# it once per distinct namespace; state 0A is LISTEN, 1F90 is 8080 in hex (proc(5)).
top=$(readlink /proc/1/ns/net)
seen=" "
here=no
there=no
for d in /proc/[0-9]*; do
  net=$(readlink "$d/ns/net" 2>/dev/null) || continue
  case "$seen" in *" $net "*) continue ;; esac
  seen="$seen$net "
  cat "$d/net/tcp" "$d/net/tcp6" 2>/dev/null | awk '$2 ~ /:1F90$/ && $4 == "0A" { found = 1 } END { exit !found }' || continue
  if [ "$net" = "$top" ]; then here=yes; else there=yes; fi
done
[ "$there" = yes ] || fail "Nothing listens on port 8080 in terminal 1's new network namespace: run python3 -m http.server 8080 --bind 127.0.0.1 & there." \
  "终端 1 的新网络命名空间里没有东西在监听 8080 端口：请在那里运行 python3 -m http.server 8080 --bind 127.0.0.1 &。"
[ "$here" = yes ] || fail "Nothing listens on port 8080 in the sandbox's own network namespace: run python3 -m http.server 8080 --bind 127.0.0.1 & in terminal 2." \
  "沙盒自己的网络命名空间里没有东西在监听 8080 端口：请在终端 2 里运行 python3 -m http.server 8080 --bind 127.0.0.1 &。"
exit 0
