/** The sentence a pane shows for its connection state (null: nothing to say, it just works). */
import type { UIText } from '../ui-text';
import type { ConnectionState } from './connection';

export function stateMessage(state: ConnectionState, text: UIText): string | null {
  switch (state.kind) {
    case 'connecting':
      return text.connecting;
    case 'ready':
      return null;
    case 'reconnecting':
      return text.reconnecting;
    case 'exited':
      return text.exited;
    case 'failed':
      // The server's reason is a sentence written for the learner; fall back to ours.
      return state.reason || text.closeReasons[state.code] || text.unknownClose(state.code);
    case 'ended':
      return state.reason ? `${text.ended}: ${state.reason}` : text.ended;
    case 'closed':
      return state.reason || text.closed;
  }
}
