import pino from "pino";

/** Structured logs on stderr, so command output on stdout stays clean. Never log secrets. */
export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    redact: ["*.token", "*.secret", "*.password", "*.botToken", "*.clientSecret"],
  },
  pino.destination(2),
);
