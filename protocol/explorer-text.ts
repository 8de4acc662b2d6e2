/**
 * The explorer snapshot as tab-separated lines, for lesson checks (shell scripts in the sandbox
 * read it with the prelude's `explorer` function, server/checks.ts). One record per line, the
 * record's kind first; fields never hold a tab or newline (they are replaced by spaces).
 *
 *   process   PID  NSPID(a,b,c)  PPID  STATE  SECCOMP  FILTERS  CGROUP  COMM  CMDLINE
 *   ns        PID  TYPE  INODE  base|new        (one per process and namespace type)
 *   namespace TYPE  INODE  base|new  PROCESSES
 *   cgroup    PATH  PROCS  MEM_USAGE  MEM_LIMIT|max  OOM_KILLS  PIDS  PIDS_LIMIT|max  PIDS_REFUSED
 *   denial    PID|-  COMM  SYSCALL  ACTION
 *   omitted   PROCESSES  CGROUPS
 */
import { NAMESPACE_TYPES, type ExplorerSnapshot } from './explorer';

const field = (v: string | number | null): string => (v === null ? '-' : String(v).replace(/[\t\n\r]/g, ' '));
const line = (...fields: Array<string | number | null>): string => fields.map(field).join('\t');

export function explorerText(s: ExplorerSnapshot): string {
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (const p of s.processes) {
    out.push(line('process', p.pid, p.nspid.join(','), p.ppid, p.state, p.seccomp.mode, p.seccomp.filters, p.cgroup, p.comm, p.cmdline));
    for (const type of NAMESPACE_TYPES) {
      const inode = p.ns[type];
      if (inode === undefined) continue;
      out.push(line('ns', p.pid, type, inode, s.baseNs[type] === inode ? 'base' : 'new'));
      const k = `${type}\t${inode}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  for (const [k, n] of counts) {
    const [type, inode] = k.split('\t') as [string, string];
    const base = s.baseNs[type as (typeof NAMESPACE_TYPES)[number]] === Number(inode);
    out.push(line('namespace', type, inode, base ? 'base' : 'new', n));
  }
  for (const c of s.cgroups) {
    out.push(
      line(
        'cgroup',
        c.path,
        c.procs,
        c.memory?.usage ?? null,
        c.memory ? (c.memory.limit ?? 'max') : null,
        c.memory?.oomKills ?? null,
        c.pids?.current ?? null,
        c.pids ? (c.pids.limit ?? 'max') : null,
        c.pids?.refused ?? null,
      ),
    );
  }
  for (const d of s.denials) out.push(line('denial', d.pid, d.comm, d.syscall, d.action));
  out.push(line('omitted', s.omittedProcesses, s.omittedCgroups));
  return out.join('\n') + '\n';
}
