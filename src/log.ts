import pino from "pino";
import { requestLogFields } from "./ops/requestContext.ts";

/**
 * Structured logs on stderr, so command output on stdout stays clean. Never log secrets.
 * A line written while an HTTP request is served carries its requestId.
 */
export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    mixin: requestLogFields,
    redact: ["*.token", "*.secret", "*.password", "*.botToken", "*.clientSecret"],
  },
  pino.destination(2),
);

/** An error's name, message and error code (Slack's, Microsoft's): never request bodies, headers or tokens. */
export function errorSummary(error: unknown): { name: string; message: string; code?: string } {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  return { name: error.name, message: redactTokens(error.message), ...(code ? { code } : {}) };
}

/**
 * Tokens and secrets never reach a log, an error or a chat message: token-looking words,
 * and the value of any client_secret / signing_secret / state_secret / token field (the Web API
 * client logs request bodies at debug level, oauth.v2.access's client_secret among them).
 */
export function redactTokens(text: string): string {
  return text
    .replace(/\bxox[a-z]-[A-Za-z0-9-]+/g, "xox?-[redacted]")
    .replace(/\bxapp-[A-Za-z0-9-]+/g, "xapp-[redacted]")
    .replace(
      /(["']?(?:client_secret|signing_secret|state_secret|[a-z_]*token)["']?\s*[:=]\s*["']?)(?!\[\[REDACTED\]\])[^"'&,\s}]+/gi,
      "$1[redacted]",
    );
}
