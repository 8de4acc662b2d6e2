/** Version of the web⇄agent⇄browser wire protocol. Bumped on any incompatible change; a hello
 * carrying another version is refused before anything is spawned (docs/protocol.md). */
export const PROTOCOL_VERSION = 1;

/** WebSocket subprotocol names, so a stray client fails the handshake instead of a frame later. */
export const BROWSER_SUBPROTOCOL = 'lab.v1';
export const AGENT_SUBPROTOCOL = 'lab-agent.v1';
