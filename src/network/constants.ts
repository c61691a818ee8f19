/** Network defaults, in one place. */

/** gossipsub's hard limit on one RPC; chunks stay far below it */
export const CHUNK_GOSSIP_LIMIT = 4 * 1024 * 1024

/** protocol of the direct stream that hands a newcomer the current global model */
export const MODEL_SYNC_PROTOCOL = '/swarm/model/4.0.0'

/** protocol of the direct stream through which update holders fetch offered updates */
export const UPDATE_FETCH_PROTOCOL = '/swarm/update/4.0.0'

/** largest model payload accepted, on gossip or a direct stream (about 64M parameters) */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024

/** incomplete chunked payloads are dropped after this long */
export const REASSEMBLY_TIMEOUT_MS = 120_000

/** how long a model fetch over a direct stream may take */
export const MODEL_FETCH_TIMEOUT_MS = 60_000

/** protocol of the direct stream that lists a member's members, so newcomers find everyone */
export const MEMBER_LIST_PROTOCOL = '/swarm/members/4.0.0'

export const MEMBER_LIST_TIMEOUT_MS = 10_000

/** a member list larger than this, or naming more members or addresses per member, is refused */
export const MAX_MEMBER_LIST_BYTES = 1024 * 1024
export const MAX_LISTED_MEMBERS = 10_000
export const MAX_MEMBER_ADDRESSES = 64

/** requests of the direct stream protocols carry no data worth more than this */
export const MAX_REQUEST_BYTES = 1024

/** a peer repeats its hello this often: the backstop that reconnects split groups of peers */
export const HELLO_INTERVAL_MS = 10_000

/**
 * A newcomer says hello when its first member joins and again after these
 * delays: the first one is lost when it goes out before gossipsub's streams to
 * that member are open, and members with smaller IDs wait for it to dial in.
 */
export const EARLY_HELLO_DELAYS_MS = [1000, 3000]

/** how long one dial may take, its wait in libp2p's dial queue included; peers busy training or starting answer slowly */
export const DIAL_TIMEOUT_MS = 20_000

/** how long a peer keeps trying to reach its --peer addresses (sites start in any order) */
export const JOIN_TIMEOUT_MS = 600_000

/** a joining peer asks its other contacts for the global model when the first has not served it this long */
export const ASK_ANOTHER_CONTACT_MS = 5000

/** a --peer that does not answer is tried again after 1 s, 2 s, 4 s, … at most this long apart */
export const JOIN_RETRY_MAX_MS = 15_000

/** a member whose connection dropped is dialled again after 1 s, 2 s, 4 s, … at most this long apart, until it answers or refuses */
export const RECONNECT_MAX_BACKOFF_MS = 10_000

/** members that dropped and are being dialled again, at most */
export const MAX_RECONNECTING = 256

/**
 * dials running at once (libp2p's dial queue): a peer joining a large swarm
 * learns of every member at once and would otherwise swamp a busy machine with handshakes
 */
export const MAX_PARALLEL_DIALS = 4

/**
 * Gossip messages (chunks) one peer may author: a burst, then this many per
 * second. A round of a 10-million-parameter model is about 100 chunks per
 * peer; anything far beyond is a flood, rejected and not forwarded.
 */
export const FLOOD_MESSAGES_PER_SECOND = 200
export const FLOOD_BURST = 1000
/** a peer that keeps flooding after this many rejected messages is disconnected and refused for FLOOD_BAN_MS */
export const FLOOD_STRIKES = 1000
export const FLOOD_BAN_MS = 60_000

/** protocol of the direct stream that answers `swarm-node status`: the swarm as this peer sees it */
export const STATUS_PROTOCOL = '/swarm/status/1.0.0'

export const STATUS_TIMEOUT_MS = 10_000

/** a status answer larger than this is refused */
export const MAX_STATUS_BYTES = 1024 * 1024
