import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { opsRoutes } from "../../src/ops/routes.ts";
import { listen, type RunningServer } from "../../src/server/http.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore } from "../support/store.ts";

const TOKEN = "3f9c2a71d04be6588a1c7e29b5d0f413";

describe("/metrics behind LONGTAIL_METRICS_TOKEN, over HTTP", () => {
  let store: Store;
  let guarded: RunningServer;
  let open: RunningServer;

  beforeAll(async () => {
    store = await openTestStore();
    const { LONGTAIL_METRICS_TOKEN } = loadConfig({ LONGTAIL_METRICS_TOKEN: TOKEN });
    guarded = await listen(opsRoutes({ store, metricsToken: LONGTAIL_METRICS_TOKEN }), "127.0.0.1", 0);
    open = await listen(opsRoutes({ store }), "127.0.0.1", 0);
  });
  afterAll(async () => {
    await guarded?.stop();
    await open?.stop();
    await store?.close();
  });

  const metrics = (server: RunningServer, authorization?: string) =>
    fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });

  it("answers the Prometheus text to the right bearer token", async () => {
    const response = await metrics(guarded, `Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await response.text()).toContain("# TYPE longtail_answer_queue_depth gauge\n");
  });

  it("answers 401 with a sentence and no metric without the token, or with a wrong one", async () => {
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN.slice(0, -1)}0`,
      `Bearer ${TOKEN}x`,
      `Basic ${TOKEN}`,
      TOKEN,
    ]) {
      const response = await metrics(guarded, authorization);
      expect([authorization, response.status]).toEqual([authorization, 401]);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await response.text()).toBe(
        "The metrics need the header Authorization: Bearer <LONGTAIL_METRICS_TOKEN>.\n",
      );
    }
  });

  it("leaves /healthz and /readyz open: the orchestrator probes them without a token", async () => {
    expect((await fetch(`${guarded.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${guarded.url}/readyz`)).status).toBe(200);
  });

  it("is open without the variable", async () => {
    const response = await metrics(open);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("# TYPE longtail_answer_queue_depth gauge\n");
  });
});

describe("LONGTAIL_METRICS_TOKEN in the environment", () => {
  const problem = (value: string) => {
    try {
      loadConfig({ LONGTAIL_METRICS_TOKEN: value });
      return "accepted";
    } catch (error) {
      return error instanceof ConfigError ? error.message : "another error";
    }
  };

  it("is refused, by name and never by value, when short or not a bearer token", () => {
    const message =
      "Configuration problem:\n  LONGTAIL_METRICS_TOKEN must be at least 16 characters of letters, digits and " +
      "- . _ ~ + / (a bearer token), like the output of `openssl rand -hex 24`";
    expect(problem("short-token")).toBe(message);
    expect(problem("has spaces in the middle of it")).toBe(message);
    expect(problem('"quoted-0123456789abcdef"')).toBe(message);
  });

  it("takes a hex or base64url token, trimmed; blank means unset", () => {
    expect(loadConfig({ LONGTAIL_METRICS_TOKEN: ` ${TOKEN} ` }).LONGTAIL_METRICS_TOKEN).toBe(TOKEN);
    expect(problem("Zm9vYmFyYmF6cXV4cXV1eA==")).toBe("accepted");
    expect(loadConfig({ LONGTAIL_METRICS_TOKEN: "  " }).LONGTAIL_METRICS_TOKEN).toBeUndefined();
  });
});
