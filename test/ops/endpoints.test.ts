import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerQueueFullError, answerQueue } from "../../src/conversation/answerQueue.ts";
import { createConversation } from "../../src/conversation/converse.ts";
import { readiness } from "../../src/ops/health.ts";
import { observeAnswer, observeDelivery, observeImportRows } from "../../src/ops/metrics.ts";
import { requestLogFields } from "../../src/ops/requestContext.ts";
import { instrumentRoutes, opsRoutes, surfaceOf } from "../../src/ops/routes.ts";
import { listen, type RunningServer, sendJson } from "../../src/server/http.ts";
import type { Store } from "../../src/store/database.ts";
import { readMigrations } from "../../src/store/migrate.ts";
import { openTestStore } from "../support/store.ts";
import { sample } from "./support/prometheus.ts";

describe("health, readiness and metrics over HTTP", () => {
  let store: Store;
  let server: RunningServer;
  const seenInHandler: Partial<{ requestId: string }>[] = [];

  beforeAll(async () => {
    store = await openTestStore();
    const probe = {
      method: "GET" as const,
      path: "/playground/api/probe",
      handle: (_req: unknown, res: Parameters<typeof sendJson>[0]) => {
        seenInHandler.push(requestLogFields());
        sendJson(res, 200, { ok: true });
      },
    };
    server = await listen(instrumentRoutes([...opsRoutes({ store }), probe]), "127.0.0.1", 0);
  });
  afterAll(async () => {
    await server?.stop();
    await store?.close();
  });

  it("/healthz answers 200 while the process runs", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz answers 200 on a reachable, migrated store", async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
  });

  it("is not ready while a migration of this build is not applied", async () => {
    const names = [...readMigrations().map((migration) => migration.name), "29991231000000_from_the_future"];
    expect(await readiness(store, names)).toEqual({
      ready: false,
      reason: "1 database migration(s) not applied yet",
    });
  });

  it("gives each request an id, returns it, and the handler's log lines carry it", async () => {
    const first = await fetch(`${server.url}/playground/api/probe`);
    const second = await fetch(`${server.url}/playground/api/probe`);
    const ids = [first.headers.get("x-request-id"), second.headers.get("x-request-id")];
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[1]).not.toBe(ids[0]);
    expect(seenInHandler).toEqual([{ requestId: ids[0] }, { requestId: ids[1] }]);
    expect(requestLogFields()).toEqual({});
  });

  it("keeps the id a proxy in front already gave the request", async () => {
    const response = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "lb-7f3a9c21" } });
    expect(response.headers.get("x-request-id")).toBe("lb-7f3a9c21");
    const odd = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "<script>" } });
    expect(odd.headers.get("x-request-id")).not.toBe("<script>");
  });

  it("/metrics counts the answers the conversation core gives, by view kind and outcome", async () => {
    const metrics = async () => (await fetch(`${server.url}/metrics`)).text();
    const series = 'longtail_answers_total{kind="help",outcome="answered"}';
    const before = sample(await metrics(), series) ?? 0;
    const core = createConversation(store);
    const view = await core.ask({
      text: "help",
      workspace: { slug: "ops", createIfMissing: true },
      now: new Date("2026-03-02T09:00:00Z"),
    });
    expect(view.kind).toBe("help");
    expect(sample(await metrics(), series)).toBe(before + 1);
  });

  it("/metrics shows the answers waiting or being computed, and none refused", async () => {
    const depth = async () =>
      sample(await (await fetch(`${server.url}/metrics`)).text(), "longtail_answer_queue_depth");
    const queue = answerQueue({ concurrency: 1, breatherMs: 0, maxWaiting: 2 });
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const queued = [queue.run(() => gate), queue.run(async () => {}), queue.run(async () => {})];
    await expect(queue.run(async () => {})).rejects.toEqual(new AnswerQueueFullError(2));
    expect(await depth()).toBe(3);
    open();
    await Promise.all(queued);
    expect(await depth()).toBe(0);
  });

  it("/metrics serves request latency by surface, answers, deliveries and import rows", async () => {
    const before = await (await fetch(`${server.url}/metrics`)).text();
    const probes = 3;
    for (let i = 0; i < probes; i++) await fetch(`${server.url}/playground/api/probe`);
    observeAnswer("creatorProfile", "answered");
    observeAnswer("creatorProfile", "failed");
    observeDelivery("teams", "retried");
    observeImportRows("file", 250);

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await response.text();
    const probeSeries =
      'longtail_http_request_duration_seconds_count{surface="playground",method="GET",status="200"}';
    expect((sample(text, probeSeries) ?? 0) - (sample(before, probeSeries) ?? 0)).toBe(probes);
    const answered = 'longtail_answers_total{kind="creatorProfile",outcome="answered"}';
    expect((sample(text, answered) ?? 0) - (sample(before, answered) ?? 0)).toBe(1);
    const failed = 'longtail_answers_total{kind="creatorProfile",outcome="failed"}';
    expect((sample(text, failed) ?? 0) - (sample(before, failed) ?? 0)).toBe(1);
    const retried = 'longtail_deliveries_total{platform="teams",outcome="retried"}';
    expect((sample(text, retried) ?? 0) - (sample(before, retried) ?? 0)).toBe(1);
    const rows = 'longtail_import_rows_total{source="file"}';
    expect((sample(text, rows) ?? 0) - (sample(before, rows) ?? 0)).toBe(250);
    expect(sample(text, "longtail_answer_queue_depth")).toBe(0);
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });
});

describe("the surface a route is timed under", () => {
  it("is named by where the route is mounted", () => {
    const paths = ["/slack/", "/api/messages", "/", "/playground", "/playground/api/ask", "/api/ingest"];
    expect(paths.map(surfaceOf)).toEqual([
      "slack",
      "teams",
      "playground",
      "playground",
      "playground",
      "ingest",
    ]);
    expect(["/healthz", "/readyz", "/metrics", "/elsewhere"].map(surfaceOf)).toEqual([
      "ops",
      "ops",
      "ops",
      "other",
    ]);
  });
});
