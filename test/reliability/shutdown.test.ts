import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANSWER_COMING } from "../../src/conversation/converse.ts";
import { demoCreators } from "../../src/ingest/demo.ts";
import { RESTARTING } from "../../src/server/shutdown.ts";
import {
  answerText,
  PROCESS_STORE_NAME,
  type ProcessStore,
  processStore,
  type Running,
  SlackSide,
  slackEnv,
  slashCommand,
  startLongtail,
} from "./harness.ts";

const COMMANDS = 40;
const RESTART_LINE = RESTARTING.lines[0] ?? "";
const HANDLES = demoCreators({ now: new Date() }).map((creator) => creator.handle);

interface Outcome {
  acked: number;
  /**
   * The status of a command sent once the process was stopping (Slack retries a 503 later), or
   * "closed" when the port had already closed (Slack retries that too).
   */
  late: number | "closed";
  /** Per command: how many answers its response_url got (busy notices aside), and whether it was the restart notice. */
  answers: { count: number; restarting: boolean; text: string }[];
  exitCode: number | null;
  output: string;
  /** The process's last log line: how many answers were owed at SIGTERM, how many were cut off. */
  stopped: { owed: number; cutOff: number; ms: number };
}

function stoppedLine(output: string): Outcome["stopped"] {
  const line = output.split("\n").find((text) => text.includes('"msg":"stopped"'));
  if (!line) throw new Error(`No "stopped" log line in:\n${output}`);
  const { owed, cutOff, ms } = JSON.parse(line) as Outcome["stopped"];
  return { owed, cutOff, ms };
}

/** 40 signed /creator commands, all acknowledged; then SIGTERM; then what reached each response_url. */
async function fortyCommandsThenSigterm(store: Record<string, string>, extra: Record<string, string> = {}) {
  const slack = new SlackSide();
  await slack.start();
  let running: Running | undefined;
  try {
    running = await startLongtail({ ...slackEnv(slack), ...store, ...extra });
    const app = running;
    const statuses = await Promise.all(
      Array.from({ length: COMMANDS }, (_, i) =>
        slashCommand(app.url, slack, `c${i}`, `@${HANDLES[i % HANDLES.length]}`),
      ),
    );
    running.child.kill("SIGTERM");
    await expect.poll(() => app.output().includes("stopping: finishing the answers owed")).toBe(true);
    const late = await slashCommand(app.url, slack, "late", `@${HANDLES[0]}`).catch(() => "closed" as const);
    const exitCode = await running.exited;
    const answers = Array.from({ length: COMMANDS }, (_, i) => {
      // "Busy, your answer is coming" may come first; what counts is the answer after it.
      const got = slack
        .on(`/respond/c${i}`)
        .filter((received) => !answerText(received).includes(ANSWER_COMING.title));
      const text = got[0] ? answerText(got[0]) : "";
      return { count: got.length, restarting: text.includes(RESTART_LINE), text };
    });
    return {
      acked: statuses.filter((status) => status === 200).length,
      late,
      answers,
      exitCode,
      output: running.output(),
      stopped: stoppedLine(running.output()),
    } satisfies Outcome;
  } finally {
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
    await slack.stop();
  }
}

function expectEveryOneAnswered(outcome: Outcome): void {
  expect(outcome.acked).toBe(COMMANDS);
  expect(outcome.answers.map((answer) => answer.count)).toEqual(Array(COMMANDS).fill(1));
  // A real answer names the creator asked about; the rest say I was restarting.
  outcome.answers.forEach((answer, i) => {
    const handle = HANDLES[i % HANDLES.length] ?? "";
    expect(answer.restarting || answer.text.includes(handle)).toBe(true);
  });
  expect(outcome.exitCode).toBe(0);
  expect(outcome.output).toContain("Stopped.");
}

function shutdownSuite(name: string, openStore: () => Promise<ProcessStore>) {
  describe(`SIGTERM with 40 acknowledged commands (${name}, a real process)`, () => {
    let store: ProcessStore;
    beforeAll(async () => {
      store = await openStore();
    });
    afterAll(async () => store?.drop());

    it("finishes and delivers every answer before closing the store (default deadline, 10 s)", async () => {
      const outcome = await fortyCommandsThenSigterm(store.env);
      expectEveryOneAnswered(outcome);
      // Still draining when the late command came: refused with 503, never taken and dropped.
      expect(outcome.late).toBe(503);
      expect(outcome.answers.filter((answer) => answer.restarting)).toEqual([]);
      // Answers were still owed when the signal came: the drain, not luck, delivered them.
      expect(outcome.stopped.owed).toBeGreaterThan(0);
      expect(outcome.stopped.cutOff).toBe(0);
      console.log(
        `${name}: ${outcome.stopped.owed} of ${COMMANDS} answers owed at SIGTERM, all delivered in ${outcome.stopped.ms} ms`,
      );
    });

    it("answers what is not finished at the deadline with the restart notice, never silence", async () => {
      const outcome = await fortyCommandsThenSigterm(store.env, { LONGTAIL_SHUTDOWN_SECONDS: "0" });
      expectEveryOneAnswered(outcome);
      // With no deadline to wait for, the port may close before the late command arrives.
      expect([503, "closed"]).toContain(outcome.late);
      const restarting = outcome.answers.filter((answer) => answer.restarting).length;
      expect(restarting).toBeGreaterThan(0);
      console.log(`${name}, 0 s deadline: ${outcome.stopped.owed} owed, ${restarting} told to ask again`);
      const notice = outcome.answers.find((answer) => answer.restarting)?.text ?? "";
      expect(notice).toContain(RESTARTING.title);
    });
  });
}

// npm test: the embedded store; npm run test:pg: PostgreSQL.
shutdownSuite(PROCESS_STORE_NAME, () => processStore("shutdown"));
