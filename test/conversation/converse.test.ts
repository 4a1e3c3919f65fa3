import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Conversation, createConversation } from "../../src/conversation/converse.ts";
import { insightContextFor, UnknownWorkspaceError } from "../../src/conversation/workspace.ts";
import { demoCreators, seedDemo } from "../../src/ingest/demo.ts";
import type { MessageView } from "../../src/insights/viewModels.ts";
import type { Store } from "../../src/store/database.ts";
import { openTestStore } from "../support/store.ts";

const NOW = new Date("2026-03-02T09:00:00Z");
const DEMO = { slug: "demo", createIfMissing: false } as const;

/** The platform-neutral core, driven as any platform drives it: text and who/where in, a view out. */
describe("the conversation core", () => {
  let store: Store;
  let core: Conversation;
  const someone = demoCreators({ now: NOW, creators: 8 })[0]?.handle ?? "";

  beforeAll(async () => {
    store = await openTestStore();
    await seedDemo(store, { now: NOW, creators: 8 });
    core = createConversation(store);
  });
  afterAll(async () => store?.close());

  it("answers a question for the claimed workspace", async () => {
    const view = await core.ask({ text: `creator @${someone}`, workspace: DEMO, now: NOW });
    expect(view.kind === "creatorProfile" && [view.creator.handle, view.workspace.slug]).toEqual([
      someone,
      "demo",
    ]);
  });

  it("sends subscriptions to the scheduler, for the channel they were typed in, on any platform", async () => {
    const channel = {
      platform: "teams" as const,
      id: "19:general@thread.tacv2",
      conversation: { serviceUrl: "x" },
    };
    const subscribed = await core.ask({
      text: "subscribe daily 08:00",
      workspace: DEMO,
      channel,
      user: { id: "29:someone", timezone: async () => "Europe/Amsterdam" },
      now: NOW,
    });
    expect(subscribed.kind === "message" && subscribed.title).toBe(
      "Subscribed: the digest comes to this channel daily 08:00 (Europe/Amsterdam).",
    );
    const listed = await core.ask({ text: "subscriptions", workspace: DEMO, channel, now: NOW });
    expect(
      listed.kind === "subscriptions" && listed.subscriptions.map((s) => [s.channel, s.timezone]),
    ).toEqual([[{ platform: "teams", id: "19:general@thread.tacv2" }, "Europe/Amsterdam"]]);
    const row = await store.prisma.subscription.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(row.conversation).toEqual({ serviceUrl: "x" });
  });

  it("asks for a channel when a subscription is typed where there is none", async () => {
    const view = await core.ask({ text: "subscribe daily 08:00", workspace: DEMO, now: NOW });
    expect(view).toEqual({
      kind: "message",
      tone: "info",
      title: "Ask that in a channel",
      lines: ["Subscriptions and alert settings belong to a channel: type it there."],
    });
  });

  it("creates a chat workspace on first use, and never one the CLI names", async () => {
    const view = await core.ask({
      text: "top 5 creators by clicks",
      workspace: { slug: "new-team", name: "New Team", createIfMissing: true },
      now: NOW,
    });
    expect(view.kind === "top" && [view.workspace.slug, view.workspace.name, view.rows]).toEqual([
      "new-team",
      "New Team",
      [],
    ]);
    await expect(insightContextFor(store.prisma, { slug: "nobody", createIfMissing: false })).rejects.toThrow(
      UnknownWorkspaceError,
    );
  });

  it("answers a failure with a reference id, never silence and never the error itself", async () => {
    const view = await core.ask({
      text: "digest",
      workspace: { slug: "nobody", createIfMissing: false },
      now: NOW,
    });
    expect(view.kind).toBe("message");
    if (view.kind !== "message") return;
    expect([view.tone, view.title, view.lines]).toEqual([
      "error",
      "Something went wrong on my side",
      ["I couldn't answer that just now. Please try again in a minute."],
    ]);
    expect(view.reference).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(view)).not.toContain("nobody");
  });

  it("builds the home screen of one platform's subscriptions", async () => {
    const home = await core.home(DEMO, "slack", NOW);
    expect([home.kind, home.subscriptions, home.problems]).toEqual(["home", [], []]);
    expect(home.digest?.kind).toBe("weeklyDigest");
  });

  it("tells the asker an answer is coming when it takes a while, and that it is too busy when the backlog is full", async () => {
    const busy = createConversation(store, {
      queue: { concurrency: 1, breatherMs: 0, maxWaiting: 1 },
      delayNoticeMs: 50,
    });
    let open: () => void = () => {};
    const blocker = busy.answers.run(() => new Promise<void>((resolve) => (open = resolve)));
    const notices: { asker: string; notice: MessageView }[] = [];
    const askAs = (asker: string) =>
      busy.ask({
        text: "help",
        workspace: DEMO,
        now: NOW,
        whenDelayed: async (notice) => {
          notices.push({ asker, notice });
        },
      });
    const waiting = askAs("waiting");
    expect(await askAs("refused")).toEqual({
      kind: "message",
      tone: "info",
      title: "Too busy right now",
      lines: ["Too many questions are waiting already. Please ask again in a minute."],
    });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(notices).toEqual([
      {
        asker: "waiting",
        notice: {
          kind: "message",
          tone: "info",
          title: "Busy, your answer is coming",
          lines: ["Many questions came in at once; yours is in line and the answer follows here."],
        },
      },
    ]);
    open();
    await blocker;
    expect((await waiting).kind).toBe("help");
  });

  it("sends no notice for an answer that comes quickly", async () => {
    const notices: MessageView[] = [];
    const view = await core.ask({
      text: "help",
      workspace: DEMO,
      now: NOW,
      whenDelayed: async (notice) => {
        notices.push(notice);
      },
    });
    expect([view.kind, notices]).toEqual(["help", []]);
  });
});
