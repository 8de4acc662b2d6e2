/** Words of the explorer panel that depend on its data: connection status, namespace labels. */
import type { UIText } from '../ui-text';
import type { NamespaceGroup } from './namespaces';
import type { ExplorerStatus } from './use-explorer';

/** The sentence the explorer's header shows for its connection (null: live, nothing to say). */
export function explorerStatus(status: ExplorerStatus, text: UIText): string | null {
  switch (status.kind) {
    case 'waiting':
      return text.explorer.waiting;
    case 'connecting':
      return text.connecting;
    case 'live':
      return null;
    case 'reconnecting':
      return text.reconnecting;
    case 'failed':
      // The server's reason is a sentence written for the learner; fall back to ours.
      return status.reason || text.closeReasons[status.code] || text.unknownClose(status.code);
    case 'ended':
      return status.reason ? `${text.ended}: ${status.reason}` : text.ended;
    case 'closed':
      return status.reason || text.explorer.closed;
  }
}

/** "PID ns 2 (new)": the words that stand beside a namespace's colour, never colour alone. */
export function namespaceLabel(group: Pick<NamespaceGroup, 'type' | 'number' | 'base'>, text: UIText): string {
  return text.explorer.nsLabel(text.explorer.nsTypes[group.type] ?? group.type, group.number, group.base);
}
