import { describe, expect, it } from "vitest";
import { errorSummary, redactTokens } from "../src/log.ts";

describe("secrets stay out of logs and messages", () => {
  it("redacts Slack tokens from error texts", () => {
    expect(redactTokens("invalid token xoxb-123-456-abc for xapp-1-A0-2-def")).toBe(
      "invalid token xox?-[redacted] for xapp-[redacted]",
    );
    expect(errorSummary(new Error("An API error occurred: xoxp-99-secret")).message).not.toContain("xoxp-99");
    const body = redactTokens(
      'http request body: {"client_id":"1.2","client_secret":"0123abcd","code":"c1"}',
    );
    expect(body).not.toContain("0123abcd");
    expect(body).toContain('"client_id":"1.2"');
    expect(redactTokens("client_secret=abc&code=1&refresh_token=xoxe-1-abc")).toBe(
      "client_secret=[redacted]&code=1&refresh_token=[redacted]",
    );
  });
});
