// Starts a worker thread's TypeScript module when running from the sources (development, tests):
// tsx compiles it as it does the main thread's. The compiled build starts its .js module directly.
import { workerData } from "node:worker_threads";

const { register } = await import("tsx/esm/api");
register();
await import(workerData.entry);
