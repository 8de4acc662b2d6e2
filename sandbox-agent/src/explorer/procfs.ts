/**
 * Small /proc readers for the explorer (host side, as root). Processes come and go while we read
 * them: a file that is gone (ENOENT) or a process that died between two reads (ESRCH) is normal
 * and reads as null; any other error is a bug worth hearing about and is thrown.
 */
import { closeSync, openSync, readlinkSync, readSync } from 'node:fs';

function vanished(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/**
 * At most `maxBytes` of a file, or null when it is gone. Bounded because learners control some
 * of these files' sizes: /proc/PID/cmdline can be megabytes long (execve(2), ARG_MAX).
 */
export function readHead(path: string, maxBytes: number): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if (vanished(e)) return null;
    throw e;
  }
  try {
    const buf = Buffer.alloc(maxBytes);
    let n = 0;
    // procfs hands a file out in pieces (often a page per read): read until full or EOF.
    while (n < maxBytes) {
      const got = readSync(fd, buf, n, maxBytes - n, null);
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n);
  } catch (e) {
    if (vanished(e)) return null;
    throw e;
  } finally {
    closeSync(fd);
  }
}

/** Like readHead, as UTF-8 text. */
export function readText(path: string, maxBytes: number): string | null {
  return readHead(path, maxBytes)?.toString('utf8') ?? null;
}

/**
 * A symlink's target, or null when it is gone or may not be read: /proc/PID/ns/* needs ptrace
 * read access to the process (proc(5), "PTRACE_MODE_READ_FSCREDS"), which a security module or a
 * process in another user namespace can refuse even to root (EACCES). One such process must not
 * cost the whole snapshot.
 */
export function readLink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch (e) {
    if (vanished(e) || (e as NodeJS.ErrnoException).code === 'EACCES') return null;
    throw e;
  }
}

/** `Key:\tvalue` lines of /proc/PID/status (proc(5)) → value of each key, whitespace-trimmed. */
export function parseStatus(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** `NSpid:` of a status: the PID in each PID namespace, the reader's (outermost) first. */
export function parseNspid(status: Map<string, string>): number[] {
  const text = status.get('NSpid');
  if (!text) return [];
  return text.split(/\s+/).map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

/** /proc/PID/status is about 1.5 KiB; comm in it is at most 64 bytes even escaped. */
export const STATUS_MAX = 8192;
