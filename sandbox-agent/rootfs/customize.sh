#!/bin/sh
# Customizes a freshly built sandbox root filesystem. Runs ON THE HOST, as root, once per rootfs
# build (scripts/lib/rootfs.mjs), with the rootfs directory as $1 and sandbox-agent/rootfs/tools
# as $2. The result is bind-mounted read-only into every sandbox, so nothing here is per-learner.
#
# Host-side safety: every file is removed before it is written, so a symlink inside the rootfs
# (e.g. /etc/resolv.conf -> /run/...) can never redirect a write to the host's own files.
set -eu

R=${1:?usage: customize.sh ROOTFS_DIR TOOLS_DIR}
T=${2:?usage: customize.sh ROOTFS_DIR TOOLS_DIR}
[ -d "$R/etc" ] && [ -d "$R/usr" ] || { echo "customize.sh: $R does not look like a root filesystem" >&2; exit 1; }
[ -f "$T/deny-syscall.c" ] || { echo "customize.sh: $T has no deny-syscall.c" >&2; exit 1; }

# put PATH MODE: write stdin to $R/PATH, replacing whatever was there (file or symlink).
put() {
  rm -f "$R$1"
  cat > "$R$1"
  chmod "$2" "$R$1"
}

# --- identity ---------------------------------------------------------------------------------
printf 'sandbox\n' | put /etc/hostname 0644

put /etc/hosts 0644 <<'HOSTS'
127.0.0.1	localhost sandbox
::1	localhost ip6-localhost ip6-loopback sandbox
HOSTS

# No network leaves a sandbox: an empty resolver config, not the host's.
: | put /etc/resolv.conf 0644

# An empty machine-id means "not set up", which is the truth for every sandbox (machine-id(5)).
: | put /etc/machine-id 0444
rm -f "$R/var/lib/dbus/machine-id"

: | put /etc/motd 0644

# --- shell ------------------------------------------------------------------------------------
# /root and /home are fresh tmpfs mounts in a sandbox, so the prompt lives in /etc/bash.bashrc,
# which every interactive bash reads. /etc/skel carries the same for users a learner creates.
put /etc/bash.bashrc 0644 <<'BASHRC'
# System-wide .bashrc for interactive bash shells in a container-lab sandbox.
[ -z "${PS1-}" ] && return

: "${LANG:=C.UTF-8}"; export LANG
: "${TERM:=xterm-256color}"; export TERM
shopt -s checkwinsize histappend
HISTCONTROL=ignoreboth
HISTSIZE=1000

# user@host:dir# in colour: red for root, green for everyone else. Start-up must not fork
# (no $(...), no external commands): the PID-namespace lesson expects `ps` right after bash to
# be PID 2, as in the article.
if [ "$EUID" = 0 ]; then _c='1;31'; else _c='1;32'; fi
PS1="\[\e[${_c}m\]\u@\h\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\\$ "
unset _c

alias ls='ls --color=auto'
alias ll='ls -l'
alias la='ls -A'
alias grep='grep --color=auto'

# Tab completion, loaded on the first Tab rather than at start-up: sourcing bash-completion is
# most of a new shell's start-up time (measured: bash -li 7 ms with it, under 2 ms without; it
# took 20 concurrent sandbox starts from p99 ~330 ms to ~250 ms), and every sandbox starts a
# shell. The default completion (complete -D) below loads bash-completion, then hands over to
# its own loader, which loads the command's completion and returns 124: "try again", so the
# very first Tab completes (bash(1), "Programmable Completion").
if [ -f /usr/share/bash-completion/bash_completion ]; then
  _lab_load_completion() {
    complete -r -D
    unset -f _lab_load_completion
    . /usr/share/bash-completion/bash_completion
    if declare -F _completion_loader >/dev/null; then _completion_loader "$@"; else return 124; fi
  }
  complete -D -F _lab_load_completion
fi
BASHRC
# Login shells would otherwise source bash-completion from here, eagerly (see above).
rm -f "$R/etc/profile.d/bash_completion.sh"

put /etc/skel/.bashrc 0644 <<'SKEL'
# ~/.bashrc: the prompt and aliases come from /etc/bash.bashrc; add your own below.
SKEL

put /etc/skel/.profile 0644 <<'PROFILE'
# ~/.profile: login shells read this; interactive bash also reads ~/.bashrc.
if [ -n "${BASH_VERSION-}" ] && [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
PROFILE

# In case a profile mounts the rootfs's own /root rather than a tmpfs.
mkdir -p "$R/root"
put /root/.bashrc 0644 < "$R/etc/skel/.bashrc"
put /root/.profile 0644 < "$R/etc/skel/.profile"

# --- mount points the agent fills in ----------------------------------------------------------
# The agent bind-mounts its init binary over this empty file; a bind mount needs a target.
mkdir -p "$R/usr/local/sbin" "$R/usr/local/lib/lab"
: | put /usr/local/sbin/lab-init 0755
chmod 0755 "$R/usr/local/lib/lab"

# --- lesson tools ---------------------------------------------------------------------------
# deny-syscall (the seccomp lesson): compiled here on the host (the rootfs has no compiler) into
# a host temp dir, then copied in with put, never linked straight into the rootfs (the linker
# would follow a symlink at its output path). Static, so it needs nothing from the rootfs and
# does not care whether the host's C library is newer than the rootfs's. The source goes next
# to it, for learners to read.
command -v gcc >/dev/null && [ -f /usr/include/seccomp.h ] || {
  echo "customize.sh: building deny-syscall needs gcc and libseccomp-dev on the host" >&2; exit 1; }
B=$(mktemp -d)
trap 'rm -rf "$B"' EXIT
gcc -O2 -Wall -Wextra -Werror -static -s -o "$B/deny-syscall" "$T/deny-syscall.c" -lseccomp
mkdir -p "$R/usr/local/bin" "$R/usr/local/src/deny-syscall"
put /usr/local/bin/deny-syscall 0755 < "$B/deny-syscall"
put /usr/local/src/deny-syscall/deny-syscall.c 0644 < "$T/deny-syscall.c"
chmod 0755 "$R/usr/local/src/deny-syscall"

# --- smaller, quieter ---------------------------------------------------------------------------
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/var/cache/apt/archives/*.deb \
       "$R"/var/cache/apt/archives/partial/* "$R"/var/log/apt/* "$R"/var/log/dpkg.log \
       "$R"/var/cache/debconf/*-old "$R"/var/lib/dpkg/*-old
