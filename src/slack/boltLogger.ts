import { format } from "node:util";
import { type Logger, LogLevel } from "@slack/bolt";
import { log, redactTokens } from "../log.ts";

/** The Web API client's debug lines that print a request's or a response's body or headers. */
const CARRIES_CONTENT = /^http request (body|headers|result):/;

/**
 * The OAuth flow's one-time values in a URL Bolt logs at debug ("Generated authorize URL: …&state=…",
 * a redirect's ?code=…).
 */
export function redactOAuthParameters(text: string): string {
  return text.replace(/([?&](?:state|code)=)[^&\s"']+/g, "$1[redacted]");
}

/**
 * Bolt's and the Web API client's logs, through the project's pino logger, tokens and OAuth values redacted; at
 * debug level the lines holding message bodies and headers are left out (ids, not content).
 */
export function boltLogger(): Logger {
  const pino = log.child({ component: "slack" });
  let level: LogLevel = LogLevel.INFO;
  const line = (parts: unknown[]) => redactTokens(redactOAuthParameters(format(...parts)));
  return {
    debug: (...parts: unknown[]) => {
      const text = line(parts);
      if (!CARRIES_CONTENT.test(text)) pino.debug(text);
    },
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
