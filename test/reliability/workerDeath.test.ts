import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { demoCreators, seedDemo } from "../../src/ingest/demo.ts";
import { openStore } from "../../src/store/database.ts";
import { expectWithinSlackLimits, headerOf } from "../slack/support/expectations.ts";
import { type Harness, NOW, startHarness, TEAM_ACME } from "../slack/support/harness.ts";
import { sendSlashCommand } from "../slack/support/slackRequests.ts";

const someone = demoCreators({ now: NOW, creators: 12 })[0]?.handle ?? "";
/** Holds the database long enough for the test to kill it under the answer, whatever the load. */
const LONG_QUERY = "SELECT count(*) AS n FROM generate_series(1, 2000000000) AS i";

/**
 * The server's embedded database dies under an answer (its worker thread ends, as in a crash or
 * out of memory): the asker is told to try again, the database restarts by itself, and the same
 * question asked again is answered. Real Bolt over signed HTTP, the store in a folder.
 */
describe("Slack, when the embedded database's worker dies under an answer", { timeout: 180_000 }, () => {
  let dataDir: string;
  let h: Harness;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "longtail-worker-death-"));
    h = await startHarness({
      mode: "single",
      workspace: "acme",
      openStore: () => openStore({ dataDir }),
      prepare: (store) => seedDemo(store, { now: NOW, creators: 12, slug: "acme" }).then(() => undefined),
    });
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function slash(text: string) {
    const id = randomUUID();
    const ack = await sendSlashCommand(
      h.baseUrl,
      { command: "/creator", text, teamId: TEAM_ACME.teamId, responseUrl: h.stub.responseUrl(id) },
      h.sign,
    );
    return { ack, answer: h.stub.waitFor((call) => call.path === `/respond/${id}`, 120_000) };
  }

  it("answers the command in flight with 'try again', and the next one with the card", async () => {
    const embedded = h.store.embedded;
    if (!embedded) throw new Error("the harness store is not the embedded one");
    const blocker = h.store.prisma.$queryRawUnsafe(LONG_QUERY).catch((error: Error) => error.message);
    const calls = vi.spyOn(embedded, "call");
    const first = await slash(`@${someone}`);
    expect(first.ack.status).toBe(200);
    // The answer's first query waits in the worker behind the long one: kill the worker then.
    await vi.waitFor(() => expect(calls).toHaveBeenCalled(), { timeout: 60_000, interval: 20 });
    calls.mockRestore();
    await embedded.killWorker();

    const failed = await first.answer;
    const blocks = failed.body.blocks as { text: { text: string } }[];
    const reference = /reference: \*([0-9a-f]{8})\*$/.exec(blocks[0]?.text.text ?? "")?.[1];
    expect(failed.body).toEqual({
      response_type: "ephemeral",
      text: "Something went wrong on my side",
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text:
              ":warning: *Something went wrong on my side*\nI couldn't answer that just now. Please try again in a minute.\n" +
              `If it keeps happening, give your Longtail admin this reference: *${reference}*`,
          },
        },
      ],
    });
    expect(await blocker).toBe(
      "the embedded database stopped (its thread exited with code 1) and is restarting; try again",
    );

    const again = await slash(`@${someone}`);
    expect(again.ack.status).toBe(200);
    const card = await again.answer;
    expect(headerOf(expectWithinSlackLimits(card.body.blocks))).toContain(`@${someone}`);
  });
});
