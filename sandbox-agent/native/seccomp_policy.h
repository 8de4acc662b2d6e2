/* The baseline seccomp policy every sandbox process runs under (see seccomp_policy.c). */
#ifndef LAB_SECCOMP_POLICY_H
#define LAB_SECCOMP_POLICY_H
int seccomp_export(const char *path);
#endif
