/**
 * Errors a user can fix. Their message names the problem and the fix; the CLI
 * prints it without a stack trace and exits with code 2.
 */
export class UserError extends Error {
  static name = 'UserError'
  name = 'UserError'
}

/** A bad command line flag or config file. */
export class ConfigError extends UserError {
  static name = 'ConfigError'
  name = 'ConfigError'
}

/** A missing, unreadable or malformed data file. */
export class DataError extends UserError {
  static name = 'DataError'
  name = 'DataError'
}
