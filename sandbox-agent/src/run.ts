/**
 * A non-interactive command in a sandbox: stdin from INPUT/EOF frames, stdout as OUTPUT frames,
 * stderr as STDERR frames, then an exit message. Used by `lab run` (and, later, lesson checks).
 * Backpressure: stdout/stderr are paused while the socket has more than a few MiB queued.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { encodeServerFrame } from '../../protocol/frames';
import type { TerminalExit } from './terminal';
import { processEnv, type ExecCommand } from './isolation/launch';
import type { Viewer } from './viewer';

const SOCKET_HIGH = 4 * 1024 * 1024;
const MAX_PIECE = 64 * 1024;

export class Run {
  private readonly child: ChildProcess;
  private seq = 0;
  private exited = false;

  constructor(
    command: ExecCommand,
    private readonly viewer: Viewer,
    onExit: (exit: TerminalExit) => void,
  ) {
    this.child = spawn(command.file, command.args, { stdio: ['pipe', 'pipe', 'pipe'], env: processEnv(command.env) });
    this.child.stdin!.on('error', () => undefined); // EPIPE when the command ignores stdin
    const pump = (stream: NodeJS.ReadableStream, frame: (b: Buffer) => Uint8Array) => {
      stream.on('data', (chunk: Buffer) => {
        for (let off = 0; off < chunk.length; off += MAX_PIECE) this.viewer.send(frame(chunk.subarray(off, off + MAX_PIECE)));
        if (this.viewer.bufferedAmount > SOCKET_HIGH) {
          stream.pause();
          const wait = setInterval(() => {
            if (this.viewer.bufferedAmount < SOCKET_HIGH / 4 || this.exited) {
              clearInterval(wait);
              stream.resume();
            }
          }, 10);
        }
      });
    };
    pump(this.child.stdout!, (b) => {
      const f = encodeServerFrame({ op: 'output', seq: this.seq, data: b });
      this.seq += b.length;
      return f;
    });
    pump(this.child.stderr!, (b) => encodeServerFrame({ op: 'stderr', data: b }));
    // 'close' (not 'exit') so every byte of stdout/stderr has been forwarded first.
    this.child.on('close', (code, signal) => {
      this.exited = true;
      onExit({ code: signal ? null : code, signal: signal ? signalNumber(signal) : null });
    });
  }

  input(data: Uint8Array): void {
    if (!this.exited) this.child.stdin!.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  eof(): void {
    this.child.stdin!.end();
  }

  dispose(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

function signalNumber(name: NodeJS.Signals): number {
  return constants.signals[name] ?? 0;
}
