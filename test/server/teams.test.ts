import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { type Conversation, createConversation } from "../../src/conversation/converse.ts";
import { log } from "../../src/log.ts";
import { listen } from "../../src/server/http.ts";
import { teamsSurface } from "../../src/server/teams.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore } from "../support/store.ts";
import { personalMessage } from "../teams/support/activities.ts";
import { ConnectorStub } from "../teams/support/connectorStub.ts";

describe("Teams in the shared server", () => {
  let store: Store;
  beforeAll(async () => {
    log.level = "silent";
    store = await openTestStore();
  });
  afterAll(() => store?.close());

  it("mounts /api/messages in local mode on loopback, answering through botbuilder's handler", async () => {
    const teams = teamsSurface(loadConfig({}));
    expect(teams?.settings.auth).toBe("local");
    const routes = teams?.routes(store, "127.0.0.1") ?? [];
    expect(routes.map((route) => [route.method, route.path])).toEqual([["POST", "/api/messages"]]);
    const running = await listen(routes, "127.0.0.1", 0);
    try {
      const response = await fetch(`${running.url}/api/messages`, { method: "POST", body: "hello" });
      expect([response.status, await response.text()]).toEqual([
        415,
        "Send the activity as application/json.\n",
      ]);
    } finally {
      await running.stop();
    }
  });

  it("answers through the process's shared conversation core (one answer queue with Slack) when given one", async () => {
    const core = createConversation(store);
    const asked: string[] = [];
    const shared: Conversation = {
      ...core,
      ask: (question) => {
        asked.push(question.text);
        return core.ask(question);
      },
    };
    const connector = await new ConnectorStub().start();
    const running = await listen(
      teamsSurface(loadConfig({}))?.routes(store, "127.0.0.1", shared) ?? [],
      "127.0.0.1",
      0,
    );
    try {
      const response = await fetch(`${running.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(personalMessage("help", { serviceUrl: connector.serviceUrl })),
      });
      expect(response.status).toBe(200);
      await connector.waitForPosts(1);
      expect(asked).toEqual(["help"]);
    } finally {
      await running.stop();
      await connector.close();
    }
  });

  it("serves no unauthenticated Teams endpoint beyond loopback", () => {
    expect(teamsSurface(loadConfig({}))?.routes(store, "0.0.0.0")).toEqual([]);
  });

  it("is absent when only Slack is configured", () => {
    const slack = { SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef", SLACK_BOT_TOKEN: "xoxb-1-2" };
    expect(teamsSurface(loadConfig(slack))).toBeNull();
  });
});
