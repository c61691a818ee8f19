/** Errors of the network layer, named so that callers and tests can tell them apart. */

/** A direct stream was asked of a peer this node has no connection to. */
export class NotConnectedError extends Error {
  static name = 'NotConnectedError'
  name = 'NotConnectedError'
}

/** A peer answered that it holds no update for the round and base asked for. */
export class UpdateNotHeldError extends Error {
  static name = 'UpdateNotHeldError'
  name = 'UpdateNotHeldError'
}
