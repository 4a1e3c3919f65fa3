// The embedded database (PGlite) and the operations src/store/embedded.ts asks of it, whether it
// runs in a worker thread (embeddedWorker.mjs) or in the calling thread. Plain JavaScript: a worker
// must start without a TypeScript loader under tsx, vitest and node alike.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

/**
 * Starts PGlite and returns its operations by name: `{ op: (args) => Promise<value> }`.
 * @param {{ dataDir: string, snapshot?: ArrayBuffer, binaries: object, settings?: string[] }} options
 */
export async function startEngine({ dataDir, snapshot, binaries, settings = [] }) {
  const db = await PGlite.create(dataDir, {
    ...binaries,
    startParams: [...PGlite.defaultStartParams, ...settings.flatMap((setting) => ["-c", setting])],
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

  /** PGlite itself, or the PGlite transaction under open transaction `tx` (the adapter's `client`). */
  function session(tx) {
    return tx === undefined ? db : queryable(tx).client;
  }

  function finish(tx, how) {
    const transaction = queryable(tx);
    transactions.delete(tx);
    return transaction[how]();
  }

  return {
    /** Rows as objects, for the migration runner. */
    query: async ({ sql, params }) => (await db.query(sql, params)).rows,
    exec: async ({ script }) => {
      await db.exec(script);
    },
    /** Rows as objects and the rows changed, in transaction `tx` when given (src/store/embeddedSql.ts). */
    sql: async ({ tx, sql, params }) => {
      const { rows, affectedRows } = await session(tx).query(sql, params);
      return { rows, affectedRows: affectedRows ?? 0 };
    },
    /** `COPY … FROM '/dev/blob'` of `data` (text format) in transaction `tx`: the rows copied. */
    copyFrom: async ({ tx, sql, data }) =>
      (await session(tx).query(sql, [], { blob: new Blob([data]) })).affectedRows ?? 0,
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
}

/** What crosses back for an error: a driver error's mapped cause, or a name and a message. */
export function describeError(error) {
  if (error?.name === "DriverAdapterError" && typeof error.cause === "object") {
    return { driver: error.cause, message: error.message };
  }
  return { name: error?.name ?? "Error", message: error?.message ?? String(error) };
}
