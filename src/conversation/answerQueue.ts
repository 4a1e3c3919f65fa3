import { availableParallelism } from "node:os";
import { observeAnswerQueue } from "../ops/metrics.ts";

/**
 * At most `concurrency` answers are computed at once, and each starts only after the event loop
 * had a breather. Slack gives 3 seconds to acknowledge a request. The embedded database (PGlite)
 * runs its queries on this thread: answers computed side by side would hold the event loop until
 * all were done, and a request arriving meanwhile needs a few turns of the loop (accept, read,
 * verify, ack) before it is acknowledged. One answer at a time with a few milliseconds between
 * them, a new request waits for about one answer. With PostgreSQL the queries wait on the
 * network, the loop stays free, and the limit keeps the connection pool from saturating.
 */
export interface AnswerQueue {
  /** Rejects with AnswerQueueFullError at once when `maxWaiting` answers already wait. */
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** The backlog is bounded: one answer more than `maxWaiting` is refused rather than kept waiting. */
export class AnswerQueueFullError extends Error {
  constructor(maxWaiting: number) {
    super(`${maxWaiting} answers are already waiting for their turn`);
    this.name = "AnswerQueueFullError";
  }
}

export interface AnswerQueueOptions {
  concurrency: number;
  /** Pause before each answer, for pending requests to be acknowledged; 0: one turn of the loop. */
  breatherMs: number;
  /** Answers that may wait for a turn; beyond that a question is answered "too busy" at once. */
  maxWaiting: number;
}

export const EMBEDDED_ANSWERS: AnswerQueueOptions = { concurrency: 1, breatherMs: 10, maxWaiting: 100 };
/**
 * One answer per core: the database works on the same cores, and more answers at once only make
 * every answer, and every ack behind them, wait for CPU (8 at once on 2 cores: ack p99 in seconds).
 */
export const SERVER_ANSWERS: AnswerQueueOptions = {
  concurrency: availableParallelism(),
  breatherMs: 0,
  maxWaiting: 400,
};

export function answerQueue({ concurrency, breatherMs, maxWaiting }: AnswerQueueOptions): AnswerQueue {
  let active = 0;
  const waiting: (() => void)[] = [];
  const breather = () =>
    new Promise<void>((resolve) =>
      breatherMs > 0 ? setTimeout(resolve, breatherMs) : setImmediate(resolve),
    );
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= concurrency && waiting.length >= maxWaiting) throw new AnswerQueueFullError(maxWaiting);
      observeAnswerQueue(1);
      if (active < concurrency) active += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        await breather();
        return await task();
      } finally {
        observeAnswerQueue(-1);
        const next = waiting.shift();
        // The slot passes straight to the next in line: nobody can overtake it.
        if (next) next();
        else active -= 1;
      }
    },
  };
}
