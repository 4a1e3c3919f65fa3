import { afterAll, beforeAll, expect, it } from "vitest";
import { instrumentRoutes, opsRoutes } from "../../src/ops/routes.ts";
import { listen, type RunningServer } from "../../src/server/http.ts";
import type { Store } from "../../src/store/database.ts";
import { openScratchStore } from "../../src/store/scratch.ts";
import { describeOnPostgres } from "../support/postgres.ts";
import { TcpProxy } from "./support/tcpProxy.ts";

const serverUrl = process.env.LONGTAIL_TEST_DATABASE_URL;

/** Asks /readyz until it answers `status` (a pool reconnects on its next query), at most 10 s. */
async function readyzUntil(url: string, status: number): Promise<{ status: number; body: unknown }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${url}/readyz`);
    const answer = { status: response.status, body: await response.json() };
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeOnPostgres("readiness while PostgreSQL goes away and comes back", () => {
  const target = new URL(serverUrl ?? "postgresql://localhost");
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  let store: Store;
  let server: RunningServer;

  beforeAll(async () => {
    await proxy.up();
    store = await openScratchStore(proxy.urlFor(serverUrl ?? ""), "longtail_ops");
    server = await listen(instrumentRoutes(opsRoutes({ store })), "127.0.0.1", 0);
  });
  afterAll(async () => {
    await proxy.up();
    await server?.stop();
    await store?.close();
    await proxy.down();
  });

  it("fails while the database is unreachable, recovers by itself, and /healthz stays up", async () => {
    expect(await readyzUntil(server.url, 200)).toEqual({ status: 200, body: { status: "ready" } });

    await proxy.down();
    expect(await readyzUntil(server.url, 503)).toEqual({
      status: 503,
      body: { status: "not ready", reason: "the database does not answer" },
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    await proxy.up();
    expect(await readyzUntil(server.url, 200)).toEqual({ status: 200, body: { status: "ready" } });
  });
});
