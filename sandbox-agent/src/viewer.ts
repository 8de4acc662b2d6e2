/** What a terminal or run needs from a connected client: the agent's WebSocket wrapper. */
export interface Viewer {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued in the socket but not yet written to the kernel. */
  readonly bufferedAmount: number;
}
