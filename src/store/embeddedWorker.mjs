// The embedded database in a worker thread, so that its queries never hold the event loop that
// acknowledges Slack and Teams. Its one client is src/store/embedded.ts, which sends
// `{ id, op, ...arguments }` and receives `{ id, value }` or `{ id, error }`.
import { parentPort, workerData } from "node:worker_threads";
import { describeError, startEngine } from "./embeddedEngine.mjs";

const operations = await startEngine(workerData);

parentPort.on("message", async ({ id, op, ...args }) => {
  try {
    const value = await operations[op](args);
    parentPort.postMessage({ id, value }, value instanceof ArrayBuffer ? [value] : []);
  } catch (error) {
    parentPort.postMessage({ id, error: describeError(error) });
  }
});
parentPort.postMessage({ ready: true });
