// The embedded database (PGlite) in a worker thread, so that its queries never hold the event loop
// that acknowledges Slack and Teams. Plain JavaScript: a worker must start without a TypeScript
// loader under tsx, vitest and node alike. Its one client is src/store/embedded.ts, which sends
// `{ id, op, ...arguments }` and receives `{ id, value }` or `{ id, error }`.
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

/** @type {{ dataDir: string, snapshot?: ArrayBuffer, binaries: object }} */
const { dataDir, snapshot, binaries } = workerData;
const db = await PGlite.create(dataDir, {
  ...binaries,
  ...(snapshot ? { loadDataDir: new Blob([snapshot]) } : {}),
});
const adapter = await new PrismaPGlite(db).connect();
/** Open transactions of Prisma, by the id the client knows them by. */
const transactions = new Map();
let lastTransactionId = 0;

/** The adapter, or the open transaction `tx` names. */
function queryable(tx) {
  if (tx === undefined) return adapter;
  const transaction = transactions.get(tx);
  if (transaction === undefined) throw new Error(`no open transaction ${tx}`);
  return transaction;
}

function finish(tx, how) {
  const transaction = queryable(tx);
  transactions.delete(tx);
  return transaction[how]();
}

const operations = {
  /** Rows as objects, for the migration runner. */
  query: async ({ sql, params }) => (await db.query(sql, params)).rows,
  exec: async ({ script }) => {
    await db.exec(script);
  },
  queryRaw: ({ tx, query }) => queryable(tx).queryRaw(query),
  executeRaw: ({ tx, query }) => queryable(tx).executeRaw(query),
  startTransaction: async ({ isolationLevel }) => {
    const transaction = await adapter.startTransaction(isolationLevel);
    lastTransactionId += 1;
    transactions.set(lastTransactionId, transaction);
    return { tx: lastTransactionId, options: transaction.options };
  },
  commit: ({ tx }) => finish(tx, "commit"),
  rollback: ({ tx }) => finish(tx, "rollback"),
  /** The whole database as a tarball, to open copies of it quickly. */
  dump: async () => (await db.dumpDataDir("none")).arrayBuffer(),
  close: () => db.close(),
};

/** What crosses back for an error: a driver error's mapped cause, or a name and a message. */
function describeError(error) {
  if (error?.name === "DriverAdapterError" && typeof error.cause === "object") {
    return { driver: error.cause, message: error.message };
  }
  return { name: error?.name ?? "Error", message: error?.message ?? String(error) };
}

parentPort.on("message", async ({ id, op, ...args }) => {
  try {
    const value = await operations[op](args);
    parentPort.postMessage({ id, value }, value instanceof ArrayBuffer ? [value] : []);
  } catch (error) {
    parentPort.postMessage({ id, error: describeError(error) });
  }
});
parentPort.postMessage({ ready: true });
