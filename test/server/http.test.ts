import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config.ts";
import { log } from "../../src/log.ts";
import {
  findRoute,
  listen,
  listenOrExplain,
  type Route,
  type RunningServer,
  sendText,
} from "../../src/server/http.ts";
import { InFlight } from "../../src/server/shutdown.ts";

const reply =
  (text: string): Route["handle"] =>
  (_req, res) =>
    sendText(res, 200, text);

const ROUTES: Route[] = [
  { method: "ANY", path: "/slack/", handle: reply("slack") },
  { method: "GET", path: "/playground/", handle: reply("page") },
  { method: "GET", path: "/playground/api/", handle: reply("api prefix") },
  { method: "POST", path: "/playground/api/ask", handle: reply("ask") },
  {
    method: "GET",
    path: "/broken",
    handle: () => {
      throw new Error("database password=hunter2 at Object.<anonymous> (src/x.ts:1:1)");
    },
  },
];

describe("route table", () => {
  it("prefers an exact path, then the longest prefix, and matches the method", () => {
    expect(findRoute(ROUTES, "POST", "/playground/api/ask")?.path).toBe("/playground/api/ask");
    expect(findRoute(ROUTES, "GET", "/playground/api/ask")?.path).toBe("/playground/api/");
    expect(findRoute(ROUTES, "GET", "/playground/")?.path).toBe("/playground/");
    expect(findRoute(ROUTES, "HEAD", "/playground/")?.path).toBe("/playground/");
    expect(findRoute(ROUTES, "PUT", "/slack/events")?.path).toBe("/slack/");
    expect(findRoute(ROUTES, "POST", "/playground/")).toBeUndefined();
    expect(findRoute(ROUTES, "GET", "/playground")).toBeUndefined();
  });
});

describe("listen", () => {
  let running: RunningServer;
  beforeAll(async () => {
    log.level = "silent";
    running = await listen(ROUTES, "127.0.0.1", 0);
  });
  afterAll(() => running.stop());

  it("serves the table on the address it reports", async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*$/);
    const response = await fetch(`${running.url}/slack/events`, { method: "POST", body: "x" });
    expect([response.status, await response.text()]).toEqual([200, "slack"]);
  });

  it("answers 404 for a path nobody serves", async () => {
    const response = await fetch(`${running.url}/nothing`);
    expect([response.status, await response.text()]).toEqual([404, "Not found.\n"]);
  });

  it("answers 500 with a plain sentence when a handler throws: no message, stack or secret", async () => {
    const response = await fetch(`${running.url}/broken`);
    expect([response.status, await response.text()]).toEqual([
      500,
      "Something went wrong on our side; the server log has the details.\n",
    ]);
  });

  it("refuses a port already in use, in a sentence that says what to do", async () => {
    const port = Number(new URL(running.url).port);
    await expect(listen(ROUTES, "127.0.0.1", port)).rejects.toMatchObject({ code: "EADDRINUSE" });
    await expect(listenOrExplain(ROUTES, "127.0.0.1", port)).rejects.toThrow(
      new ConfigError(
        `Port ${port} on 127.0.0.1 is already in use: stop what uses it, or set PORT to another port (PORT=3001 npm start).`,
      ),
    );
  });
});

describe("stopping", () => {
  it("finishes the request in flight and refuses new ones with a 503 until it closes", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inFlight = new InFlight();
    const slow: Route = {
      method: "GET",
      path: "/slow",
      handle: async (_req, res) => {
        await gate;
        sendText(res, 200, "finished");
      },
    };
    const server = await listen([slow], "127.0.0.1", 0, inFlight);
    const first = fetch(`${server.url}/slow`);
    await expect.poll(() => inFlight.size).toBe(1);
    server.stopAccepting();
    const refused = await fetch(`${server.url}/slow`);
    expect([refused.status, refused.headers.get("retry-after"), await refused.text()]).toEqual([
      503,
      "5",
      "This server is restarting; please try again in a few seconds.\n",
    ]);
    release();
    const finished = await first;
    expect([finished.status, await finished.text()]).toEqual([200, "finished"]);
    await server.stop();
    expect(await inFlight.settled(0)).toBe(true);
  });
});
