/** The logging shape the device code needs; a pino logger fits it. */

/** Structured logger: fields first, message second (pino's order). */
export interface DeviceLog {
  debug(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

/** A logger that drops everything (the default for tests and the fleet). */
export const silentLog: DeviceLog = { debug() {}, info() {}, warn() {}, error() {} };
