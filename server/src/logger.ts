/** The little the server needs from a logger; tests pass a silent one. */
export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/**
 * `console`, with the message never read as a format string: messages carry request URLs, and a
 * `%f` or `%o` in one would consume the error logged after it.
 */
export const consoleLogger: Logger = {
  info: (message, ...details) => console.info('%s', message, ...details),
  warn: (message, ...details) => console.warn('%s', message, ...details),
  error: (message, ...details) => console.error('%s', message, ...details),
};
