/**
 * Decoding `CapEff:` of /proc/PID/status (a hex bit mask, as the kernel prints it) into the
 * capability names of capabilities(7). A bit the list does not know yet (a kernel newer than
 * this page) is shown by its number rather than dropped.
 */

/** Index = capability number (include/uapi/linux/capability.h), CAP_CHOWN = 0 … CAP_CHECKPOINT_RESTORE = 40. */
export const CAPABILITY_NAMES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

export interface Capability {
  bit: number;
  /** The capabilities(7) name, or the bit number as text when this page does not know it. */
  name: string;
}

/**
 * The capabilities set in a `CapEff:` mask, lowest bit first. Read nibble by nibble rather than
 * with Number(): the mask has up to 64 bits, more than a double holds exactly.
 */
export function decodeCapabilities(hex: string): Capability[] {
  const caps: Capability[] = [];
  for (let i = 0; i < hex.length; i++) {
    const nibble = Number.parseInt(hex[hex.length - 1 - i]!, 16);
    if (Number.isNaN(nibble)) continue;
    for (let b = 0; b < 4; b++) {
      if ((nibble & (1 << b)) === 0) continue;
      const bit = i * 4 + b;
      caps.push({ bit, name: CAPABILITY_NAMES[bit] ?? String(bit) });
    }
  }
  return caps;
}
