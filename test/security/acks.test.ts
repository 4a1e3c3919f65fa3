import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measureAcks } from "../../bench/ackLoad.ts";
import { demoCreators, seedDemo } from "../../src/ingest/demo.ts";
import { log } from "../../src/log.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore } from "../support/store.ts";

const NOW = new Date("2026-03-02T09:00:00Z");
const DEMO = { now: NOW, creators: 12 };
/** Full size (200, 20 at a time, on a mid-size workspace) runs by hand: npx tsx bench/ack.ts */
const REQUESTS = 40;
/** Commands keep arriving while answers are computed: each next one as soon as one is acked. */
const CONCURRENCY = 10;
const ACK_BUDGET_MS = 1000;

describe(`${REQUESTS} signed slash commands, ${CONCURRENCY} at a time (real Bolt app over HTTP)`, () => {
  let store: Store;

  beforeAll(async () => {
    if (!process.env.LONGTAIL_TEST_LOGS) log.level = "silent";
    store = await openTestStore();
    await seedDemo(store, { ...DEMO, slug: "acks" });
  });
  afterAll(async () => store?.close());

  it(`acks every one within ${ACK_BUDGET_MS} ms, then answers every one`, async () => {
    const result = await measureAcks({
      store,
      workspace: "acks",
      handles: demoCreators(DEMO).map((creator) => creator.handle),
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      answerTimeoutMs: 60_000,
      now: NOW,
    });
    expect(result.failed).toBe(0);
    expect(result.ackMs).toHaveLength(REQUESTS);
    expect(result.ackMs.filter((ms) => ms >= ACK_BUDGET_MS)).toEqual([]);
    expect(result.answerMs).toHaveLength(REQUESTS);
  });
});
