import { format } from "node:util";
import { type Logger, LogLevel } from "@slack/bolt";
import { log, redactTokens } from "../log.ts";

/** Bolt's and the Web API client's logs, through the project's pino logger, tokens redacted. */
export function boltLogger(): Logger {
  const pino = log.child({ component: "slack" });
  let level: LogLevel = LogLevel.INFO;
  const line = (parts: unknown[]) => redactTokens(format(...parts));
  return {
    debug: (...parts: unknown[]) => pino.debug(line(parts)),
    info: (...parts: unknown[]) => pino.info(line(parts)),
    warn: (...parts: unknown[]) => pino.warn(line(parts)),
    error: (...parts: unknown[]) => pino.error(line(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
