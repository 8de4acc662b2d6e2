/*
 * lab-init: PID 1 of every sandbox. Runs *inside* the sandbox (bwrap --as-pid-1), as root of the
 * sandbox's user namespace, under the sandbox's seccomp filter; it holds no host privilege.
 *
 *   lab-init v1 CONTROLLER[,CONTROLLER...]     (cgroup v1: one hierarchy per controller)
 *   lab-init v2                                (cgroup v2: the unified hierarchy)
 *
 * In order:
 *  1. Mount a fresh sysfs on /sys. The kernel only allows it because bwrap left the host's sysfs
 *     read-only at /run/.hostsys: a new proc/sysfs mount in a user namespace must not reveal
 *     more than one already visible (fs/namespace.c, mount_too_revealing()).
 *  2. Mount a second, uncovered sysfs at /run/.uncovered-sys so that learners can later mount
 *     sysfs again themselves (`ip netns exec` does), then drop the host's copy.
 *  3. Make /etc and /var writable with overlayfs (the read-only, idmapped rootfs below, an upper
 *     layer in the writable tmpfs above), so `useradd`, `su` and editing /etc/hosts work while
 *     the shared rootfs stays untouched (Documentation/filesystems/overlayfs.rst; "userxattr"
 *     because a user namespace cannot write trusted.* xattrs).
 *     Then bind the directories of the one size-capped writable tmpfs (/run/.lab-rw, made by
 *     labsbx on the host side so its size cannot be lifted from in here) onto /tmp, /root, /home,
 *     /var/tmp, /mnt and /dev/shm, and cap the tmpfs bwrap made for / and /dev: one cap for all of them, so a learner filling
 *     every directory still cannot charge more than that cap to the sandbox's memory cgroup.
 *  4. Mount the delegated cgroup tree on /sys/fs/cgroup. The cgroup namespace is rooted at the
 *     session cgroup, so the learner sees exactly their own subtree (cgroup_namespaces(7)).
 *     v2 also moves PID 1 into the leaf /init, because a cgroup that enables controllers for
 *     its children may hold no processes (cgroup-v2.rst, "No Internal Process Constraint").
 *  5. Tell the agent "ready" on stdout, detach from the pipe, and reap orphans forever.
 * Nothing under /proc is covered: an overmount there would make the kernel refuse the nested
 * `mount -t proc` of `unshare --mount-proc` once a learner nests a user namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define FS_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static void die(const char *fmt, ...) {
  va_list ap;
  int e = errno;
  va_start(ap, fmt);
  fputs("lab-init: ", stderr);
  vfprintf(stderr, fmt, ap);
  if (e) fprintf(stderr, ": %s", strerror(e));
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

static void mkdir_p(const char *path) {
  if (mkdir(path, 0755) && errno != EEXIST) die("mkdir %s", path);
}

static void write_file(const char *path, const char *data) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) die("open %s", path);
  if (write(fd, data, strlen(data)) < 0) die("write %s", path);
  close(fd);
}

static void mount_sysfs(void) {
  if (mount("sysfs", "/sys", "sysfs", FS_FLAGS, NULL)) die("mount sysfs on /sys");
  mkdir_p("/run/.uncovered-sys");
  if (mount("sysfs", "/run/.uncovered-sys", "sysfs", FS_FLAGS | MS_RDONLY, NULL)) die("mount uncovered sysfs");
  if (umount2("/run/.hostsys", MNT_DETACH)) die("unmount host sysfs");
  rmdir("/run/.hostsys");
}

#define WRITABLE_ROOT "/run/.lab-rw"

static void overlay(const char *target, const char *name) {
  char base[128], upper[160], work[160], opts[512];
  snprintf(base, sizeof base, WRITABLE_ROOT "/.overlay-%s", name);
  snprintf(upper, sizeof upper, "%s/upper", base);
  snprintf(work, sizeof work, "%s/work", base);
  mkdir_p(base);
  mkdir_p(upper);
  mkdir_p(work);
  snprintf(opts, sizeof opts, "lowerdir=%s,upperdir=%s,workdir=%s,userxattr", target, upper, work);
  if (mount("overlay", target, "overlay", MS_NOSUID | MS_NODEV, opts)) die("overlay on %s", target);
}

/* bwrap makes / and /dev as tmpfs without a size, inside this user namespace: cap them so an
 * accidental write there cannot fill the memory cgroup (the learner, who owns them, could lift
 * the cap again: only their own sandbox would suffer). The flags are kept as they are. */
static void cap_tmpfs(const char *path, const char *size) {
  struct statvfs v;
  if (statvfs(path, &v)) die("statvfs %s", path);
  unsigned long flags = MS_REMOUNT;
  if (v.f_flag & ST_RDONLY) flags |= MS_RDONLY;
  if (v.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (v.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (v.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  char opts[64];
  snprintf(opts, sizeof opts, "size=%s", size);
  if (mount(NULL, path, NULL, flags, opts)) die("cap the size of %s", path);
}

static void bind_writable(void) {
  overlay("/etc", "etc");
  overlay("/var", "var");
  cap_tmpfs("/", "1m");
  cap_tmpfs("/dev", "1m");
  static const struct { const char *target, *name; mode_t mode; } dirs[] = {
      {"/tmp", "tmp", 01777}, {"/var/tmp", "var-tmp", 01777}, {"/root", "root", 0700},
      {"/home", "home", 0755}, {"/mnt", "mnt", 0755}, {"/dev/shm", "shm", 01777},
  };
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    char src[128];
    snprintf(src, sizeof src, WRITABLE_ROOT "/%s", dirs[i].name);
    if (mkdir(src, dirs[i].mode) && errno != EEXIST) die("mkdir %s", src);
    if (chmod(src, dirs[i].mode)) die("chmod %s", src); /* mkdir's mode is masked by umask */
    mkdir_p(dirs[i].target);
    if (mount(src, dirs[i].target, NULL, MS_BIND, NULL)) die("bind %s on %s", src, dirs[i].target);
  }
}

static void mount_cgroup_v1(char *controllers) {
  if (mount("cgroup", "/sys/fs/cgroup", "tmpfs", FS_FLAGS, "mode=755,size=64k")) die("mount tmpfs on /sys/fs/cgroup");
  char list[256];
  snprintf(list, sizeof list, "%s", controllers); /* strtok must not edit argv: ps shows it */
  for (char *c = strtok(list, ","); c; c = strtok(NULL, ",")) {
    char path[128];
    if (strlen(c) > 32) die("controller name too long");
    snprintf(path, sizeof path, "/sys/fs/cgroup/%s", c);
    mkdir_p(path);
    if (mount("cgroup", path, "cgroup", FS_FLAGS, c)) die("mount cgroup %s", c);
  }
  if (mount(NULL, "/sys/fs/cgroup", NULL, MS_REMOUNT | MS_RDONLY | FS_FLAGS, "mode=755,size=64k"))
    die("remount /sys/fs/cgroup read-only");
}

static void mount_cgroup_v2(void) {
  if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", FS_FLAGS, NULL)) die("mount cgroup2");
  mkdir_p("/sys/fs/cgroup/init");
  write_file("/sys/fs/cgroup/init/cgroup.procs", "0");
  /* Hand every controller the agent enabled for us on to our children. */
  char avail[256] = "", want[320] = "";
  int fd = open("/sys/fs/cgroup/cgroup.controllers", O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("open cgroup.controllers");
  ssize_t n = read(fd, avail, sizeof avail - 1);
  close(fd);
  if (n < 0) die("read cgroup.controllers");
  avail[n] = 0;
  for (char *c = strtok(avail, " \n"); c; c = strtok(NULL, " \n")) {
    if (strlen(want) + strlen(c) + 3 >= sizeof want) break;
    strcat(want, "+");
    strcat(want, c);
    strcat(want, " ");
  }
  if (want[0]) write_file("/sys/fs/cgroup/cgroup.subtree_control", want);
}

int main(int argc, char **argv) {
  if (getpid() != 1) die("must run as PID 1 of the sandbox");
  if (argc == 3 && strcmp(argv[1], "v1") == 0) {
    mount_sysfs();
    bind_writable();
    mount_cgroup_v1(argv[2]);
  } else if (argc == 2 && strcmp(argv[1], "v2") == 0) {
    mount_sysfs();
    bind_writable();
    mount_cgroup_v2();
  } else {
    errno = 0;
    die("usage: lab-init v1 CONTROLLERS | lab-init v2");
  }

  if (write(STDOUT_FILENO, "ready\n", 6) != 6) die("tell the agent we are ready");
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) die("open /dev/null");
  for (int fd = 0; fd < 3; fd++) dup2(null, fd);
  close(null);

  /* Reap: every orphan in the sandbox is re-parented to us. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_BLOCK, &set, NULL);
  for (;;) {
    int sig;
    sigwait(&set, &sig);
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
  }
}
