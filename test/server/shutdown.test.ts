import { beforeAll, describe, expect, it } from "vitest";
import type { Asked, Conversation } from "../../src/conversation/converse.ts";
import type { ViewModel } from "../../src/insights/viewModels.ts";
import { log } from "../../src/log.ts";
import { drainable, InFlight, RESTARTING, shutDown } from "../../src/server/shutdown.ts";

const ANSWER: ViewModel = { kind: "message", tone: "success", title: "Answered", lines: [] };
const ASKED: Asked = {
  text: "top 5",
  workspace: { slug: "acme", name: "Acme", createIfMissing: false },
  now: new Date(),
};

/** A conversation core whose answers come when the test releases them. */
function heldCore(): { core: Conversation; release(): void } {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const core: Conversation = {
    answers: { run: (task) => task() },
    ask: async () => {
      await gate;
      return ANSWER;
    },
    home: async () => {
      await gate;
      throw new Error("not used");
    },
  };
  return { core, release };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("InFlight", () => {
  it("settles once everything tracked settled, failures included, and says false at the deadline", async () => {
    const inFlight = new InFlight();
    void inFlight.track(delay(20));
    void inFlight.track(delay(10).then(() => Promise.reject(new Error("failed")))).catch(() => {});
    expect(inFlight.size).toBe(2);
    expect(await inFlight.settled(1000)).toBe(true);
    expect(inFlight.size).toBe(0);
    void inFlight.track(delay(500));
    expect(await inFlight.settled(20)).toBe(false);
  });
});

describe("drainable conversation", () => {
  it("answers normally until cut off; then the pending and every new question get RESTARTING", async () => {
    const held = heldCore();
    const { conversation, cutOff } = drainable(held.core);
    const pending = conversation.ask(ASKED);
    cutOff();
    expect(await pending).toEqual(RESTARTING);
    expect(await conversation.ask(ASKED)).toEqual(RESTARTING);
    expect(RESTARTING.lines).toEqual(["I was restarting, please ask again."]);
    held.release();
  });

  it("passes the answer through when it comes before the cut-off", async () => {
    const held = heldCore();
    const { conversation } = drainable(held.core);
    held.release();
    expect(await conversation.ask(ASKED)).toEqual(ANSWER);
  });

  it("sends no busy notice once cut off", async () => {
    const notices: string[] = [];
    let notify: () => Promise<void> = async () => {};
    const core: Conversation = {
      answers: { run: (task) => task() },
      ask: async (asked) => {
        notify = () => asked.whenDelayed?.(RESTARTING) ?? Promise.resolve();
        return new Promise<ViewModel>(() => {});
      },
      home: () => Promise.reject(new Error("not used")),
    };
    const { conversation, cutOff } = drainable(core);
    void conversation.ask({ ...ASKED, whenDelayed: async (notice) => void notices.push(notice.title) });
    await notify();
    cutOff();
    await notify();
    expect(notices).toEqual([RESTARTING.title]);
  });
});

describe("shutDown", () => {
  beforeAll(() => {
    log.level = "silent";
  });

  it("stops accepting, waits for the answers owed, then closes", async () => {
    const steps: string[] = [];
    const held = heldCore();
    const conversation = drainable(held.core);
    const inFlight = new InFlight();
    void inFlight.track(conversation.conversation.ask(ASKED).then(() => steps.push("answered")));
    setTimeout(held.release, 30);
    const outcome = await shutDown({
      stopAccepting: () => steps.push("stop accepting"),
      inFlight,
      conversation,
      deadlineMs: 5000,
      close: async () => void steps.push("closed"),
    });
    expect(steps).toEqual(["stop accepting", "answered", "closed"]);
    expect(outcome).toEqual({ drained: true, cutOff: 0 });
  });

  it("at the deadline answers the rest RESTARTING and closes after they were delivered", async () => {
    const delivered: ViewModel[] = [];
    const steps: string[] = [];
    const conversation = drainable(heldCore().core);
    const inFlight = new InFlight();
    for (let i = 0; i < 3; i += 1) {
      void inFlight.track(conversation.conversation.ask(ASKED).then((view) => void delivered.push(view)));
    }
    const outcome = await shutDown({
      stopAccepting: () => steps.push("stop accepting"),
      inFlight,
      conversation,
      deadlineMs: 20,
      close: async () => void steps.push(`closed after ${delivered.length} delivered`),
    });
    expect(outcome).toEqual({ drained: false, cutOff: 3 });
    expect(delivered).toEqual([RESTARTING, RESTARTING, RESTARTING]);
    expect(steps).toEqual(["stop accepting", "closed after 3 delivered"]);
  });
});
