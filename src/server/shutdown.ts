/**
 * Graceful shutdown: on SIGTERM/SIGINT the server stops accepting (new requests get a 503), the
 * answers already owed are finished and delivered within a deadline, and only then does the store
 * close. An answer still being computed at the deadline is replaced by "I was restarting, please
 * ask again", delivered through the same reply path; scheduled deliveries not yet sent stay in the
 * outbox for the next replica. Nothing acknowledged is dropped in silence.
 */
import type { Asked, Conversation } from "../conversation/converse.ts";
import type { MessageView } from "../insights/viewModels.ts";
import { log } from "../log.ts";

/** How long the replacement answers get to reach their platform once the deadline has passed. */
const RESTART_NOTICE_MS = 3000;

/** Work this process accepted and still owes an answer for: HTTP handlers and Slack listeners. */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return work;
  }

  get size(): number {
    return this.pending.size;
  }

  /** True once everything tracked so far (and anything tracked meanwhile) settled; false at the deadline. */
  async settled(deadlineMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), deadlineMs);
    });
    const drained = (async () => {
      while (this.pending.size > 0) await Promise.all(this.pending);
      return true as const;
    })();
    try {
      return await Promise.race([drained, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export const RESTARTING: MessageView = {
  kind: "message",
  tone: "info",
  title: "I was restarting",
  lines: ["I was restarting, please ask again."],
};

export interface DrainableConversation {
  conversation: Conversation;
  /** From now on every question not yet answered, and every new one, is answered RESTARTING. */
  cutOff(): void;
}

/** The process's one conversation core, with a cut-off for the shutdown deadline. */
export function drainable(core: Conversation): DrainableConversation {
  let cutOff: () => void = () => {};
  let isCut = false;
  const cut = new Promise<void>((resolve) => {
    cutOff = () => {
      isCut = true;
      resolve();
    };
  });
  // Once cut off, an answer still computing says nothing more: the restart notice was the last word.
  const quietAfterCut = (asked: Asked): Asked => {
    const { whenDelayed } = asked;
    return whenDelayed
      ? { ...asked, whenDelayed: async (notice) => (isCut ? undefined : whenDelayed(notice)) }
      : asked;
  };
  return {
    cutOff,
    conversation: {
      answers: core.answers,
      ask: (asked: Asked) => Promise.race([core.ask(quietAfterCut(asked)), cut.then(() => RESTARTING)]),
      home: (workspace, platform, now) =>
        Promise.race([
          core.home(workspace, platform, now),
          cut.then(() => Promise.reject(new Error("The process is restarting"))),
        ]),
    },
  };
}

export interface ShutdownSteps {
  /** From now on every new request is refused with a 503. */
  stopAccepting(): void;
  inFlight: InFlight;
  conversation: DrainableConversation;
  deadlineMs: number;
  /** Everything after the drain, in order: scheduler, platforms, server, store. */
  close(): Promise<void>;
}

export interface ShutdownOutcome {
  /** True when every owed answer was finished before the deadline. */
  drained: boolean;
  /** Answers still being computed at the deadline, answered RESTARTING instead. */
  cutOff: number;
}

/** Stop accepting → drain within the deadline → cut off the rest with RESTARTING → close. */
export async function shutDown(steps: ShutdownSteps): Promise<ShutdownOutcome> {
  const started = performance.now();
  steps.stopAccepting();
  const owed = steps.inFlight.size;
  log.info({ owed, deadlineMs: steps.deadlineMs }, "stopping: finishing the answers owed");
  const drained = await steps.inFlight.settled(steps.deadlineMs);
  const cutOff = drained ? 0 : steps.inFlight.size;
  if (!drained) {
    log.warn({ cutOff }, "stopping: deadline reached, answering the rest that I was restarting");
    steps.conversation.cutOff();
    if (!(await steps.inFlight.settled(RESTART_NOTICE_MS))) {
      log.error({ undelivered: steps.inFlight.size }, "stopping: some restart notices were not delivered");
    }
  }
  await steps.close();
  log.info({ owed, cutOff, ms: Math.round(performance.now() - started) }, "stopped");
  return { drained, cutOff };
}
