import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { seedDemo } from "../../src/ingest/demo.ts";
import { log } from "../../src/log.ts";
import { TURN_FAILED } from "../../src/teams/adapter.ts";
import { quietLogs } from "../schedule/support.ts";
import { personalMessage } from "./support/activities.ts";
import type { ScriptedFailure } from "./support/connectorStub.ts";
import { NOW, startTeamsHarness, type TeamsHarness } from "./support/harness.ts";

describe("Teams replies when the Bot Connector fails (real CloudAdapter over HTTP, Bot Connector stub)", () => {
  let h: TeamsHarness;

  beforeAll(async () => {
    quietLogs();
    h = await startTeamsHarness({
      prepare: async (store) => {
        await seedDemo(store, { now: NOW, creators: 4, slug: "acme" });
      },
    });
  });
  afterAll(async () => h?.close());
  afterEach(() => {
    h.connector.clear();
    vi.restoreAllMocks();
  });

  function message(text: string) {
    return personalMessage(text, { serviceUrl: h.connector.serviceUrl });
  }

  /** The next message is answered once, with the answer's card. */
  async function answersTheNextMessage(): Promise<void> {
    h.connector.clear();
    expect((await h.post(message("help"))).status).toBe(200);
    const [answer] = await h.connector.waitForPosts(1);
    expect(answer?.activity.attachments?.[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(h.connector.attempts).toBe(1);
  }

  /** The reference the failure was logged with, and the same one on the apology's own failure, if any. */
  function loggedReference(error: { mock: { calls: unknown[][] } }): string {
    const failed = error.mock.calls.filter(([, text]) => text === "Teams turn failed");
    expect(failed).toHaveLength(1);
    const [fields] = failed[0] as [{ reference: string; activity: string }];
    expect(fields.activity).toBe("message");
    expect(fields.reference).toMatch(/^[0-9a-f]{8}$/);
    return fields.reference;
  }

  it.each<[string, ScriptedFailure]>([
    ["500", { status: 500 }],
    ["429 with Retry-After: 1", { status: 429, code: "TooManyRequests", retryAfter: "1" }],
  ])(
    "answers the question once when the connector answers %s and then recovers",
    async (_what, failure) => {
      h.connector.failNext(failure);
      expect((await h.post(message("help"))).status).toBe(200);
      const [answer] = await h.connector.waitForPosts(1, 15_000);
      expect(answer?.activity.attachments?.[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect({ attempts: h.connector.attempts, answers: h.connector.posts.length }).toEqual({
        attempts: 2,
        answers: 1,
      });
    },
    30_000,
  );

  it("logs a connector that keeps answering 500 with a reference, answers Teams 200, and answers the next message", async () => {
    const error = vi.spyOn(log, "error");
    const warn = vi.spyOn(log, "warn");
    h.connector.failNext(...Array.from({ length: 8 }, () => ({ status: 500 })));
    expect((await h.post(message("help"))).status).toBe(200);
    const reference = loggedReference(error);
    // The client's retries (4 attempts) for the answer, then as many for the apology.
    expect({ attempts: h.connector.attempts, answers: h.connector.posts.length }).toEqual({
      attempts: 8,
      answers: 0,
    });
    const apology = warn.mock.calls.find(
      ([, text]) => text === "Teams: could not say the turn failed either",
    );
    expect((apology?.[0] as { reference?: string })?.reference).toBe(reference);
    await answersTheNextMessage();
  }, 60_000);

  it("gives up on a reply the connector never answers after 10 s, says so, logs a reference, and answers the next", async () => {
    const error = vi.spyOn(log, "error");
    h.connector.failNext({ status: 0, hang: true });
    const started = Date.now();
    expect((await h.post(message("help"))).status).toBe(200);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(10);
    expect(seconds).toBeLessThan(20);
    loggedReference(error);
    expect(h.connector.posts.map((post) => post.activity.text)).toEqual([TURN_FAILED]);
    await answersTheNextMessage();
  }, 60_000);
});
