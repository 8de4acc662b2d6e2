/**
 * Where the terminal's byte stream stands (terminal.md §8.5). Every output byte has an absolute
 * sequence number; `written` is how many the browser has handed to xterm.js. A reconnect asks the
 * server to resume from there, so a short drop replays exactly and the screen never blanks.
 * Pure bookkeeping: the connection applies the decisions (reset the screen, drop a prefix).
 */

export interface OutputDecision {
  /** The bytes between `written` and this frame are lost: start from a clean screen. */
  reset: boolean;
  /** Bytes at the start of the frame already written (an overlapping replay). */
  skip: number;
}

export class OutputSequence {
  /** Sequence number of the next byte the browser expects. */
  written = 0;
  /** Bumped whenever the sequence space restarts or jumps, so late write callbacks from before
   * cannot acknowledge numbers that mean something else now. */
  epoch = 0;

  /**
   * A Ready arrived: output continues from `from`. `newShell` is set when we asked for a fresh
   * shell after the old one exited: its numbering starts over and the old screen stays visible
   * above it, like a terminal tab that keeps its history.
   */
  begin(from: number, gap: boolean, newShell: boolean): { reset: boolean } {
    const jumped = from !== this.written;
    // from < written without newShell means the server's numbering restarted (its terminal is
    // not the one we were showing): what is on screen no longer matches, so clear it.
    const reset = !newShell && (gap || jumped);
    if (newShell || jumped || reset) this.epoch++;
    this.written = from;
    return { reset };
  }

  /** An output frame of `length` bytes starting at `seq`. */
  accept(seq: number, length: number): OutputDecision {
    if (seq > this.written) {
      this.epoch++;
      this.written = seq + length;
      return { reset: true, skip: 0 };
    }
    const skip = Math.min(this.written - seq, length);
    this.written = Math.max(this.written, seq + length);
    return { reset: false, skip };
  }
}
