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
  run<T>(task: () => Promise<T>): Promise<T>;
}

export interface AnswerQueueOptions {
  concurrency: number;
  /** Pause before each answer, for pending requests to be acknowledged; 0: one turn of the loop. */
  breatherMs: number;
}

export const EMBEDDED_ANSWERS: AnswerQueueOptions = { concurrency: 1, breatherMs: 10 };
export const SERVER_ANSWERS: AnswerQueueOptions = { concurrency: 8, breatherMs: 0 };

export function answerQueue({ concurrency, breatherMs }: AnswerQueueOptions): AnswerQueue {
  let active = 0;
  const waiting: (() => void)[] = [];
  const breather = () =>
    new Promise<void>((resolve) =>
      breatherMs > 0 ? setTimeout(resolve, breatherMs) : setImmediate(resolve),
    );
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      else active += 1;
      try {
        await breather();
        return await task();
      } finally {
        const next = waiting.shift();
        // The slot passes straight to the next in line: nobody can overtake it.
        if (next) next();
        else active -= 1;
      }
    },
  };
}
