/**
 * Structured logs: one JSON object per line on stdout (journald and log shippers read them as is):
 * `{"ts":"…","level":"info","event":"batch_delivered","batchId":"…","records":12}`.
 * Events are stable snake_case names; fields never carry the agent key.
 */
import { LOG_LEVELS, type LogLevel } from "../core/agent/file-config.ts";

export { LOG_LEVELS, type LogLevel } from "../core/agent/file-config.ts";

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const emit =
    (lvl: LogLevel) =>
    (event: string, fields: LogFields = {}) => {
      if (LOG_LEVELS.indexOf(lvl) < min) return;
      const line = { ts: new Date().toISOString(), level: lvl, event, ...fields };
      write(`${JSON.stringify(line, (_k, v) => (v instanceof Error ? v.message : v))}\n`);
    };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
