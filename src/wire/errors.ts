/** A payload that is not a valid message of the current wire version. */
export class MalformedMessageError extends Error {
  static name = 'MalformedMessageError'
  name = 'MalformedMessageError'
}
