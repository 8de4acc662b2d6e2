/**
 * Network: a new network namespace holding only loopback (bwrap brings `lo` up). No veth, no
 * route out: nothing leaves a sandbox. Learners make further namespaces inside it.
 */
export function netArgs(): string[] {
  return ['--unshare-net'];
}
