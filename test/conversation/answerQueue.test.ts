import { describe, expect, it } from "vitest";
import { AnswerQueueFullError, answerQueue } from "../../src/conversation/answerQueue.ts";

describe("answers are computed in turn", () => {
  it("runs at most `concurrency` at once, in arrival order, and survives failures", async () => {
    const queue = answerQueue({ concurrency: 2, breatherMs: 0, maxWaiting: 10 });
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) => async () => {
      started.push(i);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (i === 3) throw new Error("boom");
      return i;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((i) => queue.run(task(i))));
    expect(most).toBe(2);
    expect(started).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.map((result) => result.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
  });

  it("keeps at most `maxWaiting` waiting and refuses one more at once, then takes new ones again", async () => {
    const queue = answerQueue({ concurrency: 1, breatherMs: 0, maxWaiting: 2 });
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const running = queue.run(() => gate.then(() => "first"));
    const waiting = [queue.run(async () => "second"), queue.run(async () => "third")];
    await expect(queue.run(async () => "fourth")).rejects.toEqual(new AnswerQueueFullError(2));
    open();
    expect(await Promise.all([running, ...waiting])).toEqual(["first", "second", "third"]);
    expect(await queue.run(async () => "fifth")).toBe("fifth");
  });
});
