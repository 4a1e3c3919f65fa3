import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from "@prisma/driver-adapter-utils";
import type { MigrationSession } from "./migrate.ts";

const WORKER_URL = new URL("./embeddedWorker.mjs", import.meta.url);
const ADAPTER_NAME = "longtail-pglite-worker";

/** PGlite's WebAssembly and file bundle, read and compiled once per process instead of once per worker. */
interface PgliteBinaries {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

let binaries: Promise<PgliteBinaries> | undefined;

function pgliteBinaries(): Promise<PgliteBinaries> {
  binaries ??= (async () => {
    const dist = dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
    const read = async (file: string) => new Uint8Array(await readFile(join(dist, file)));
    const [pglite, initdb, bundle] = await Promise.all(
      ["pglite.wasm", "initdb.wasm", "pglite.data"].map(read),
    );
    return {
      pgliteWasmModule: await WebAssembly.compile(pglite as Uint8Array<ArrayBuffer>),
      initdbWasmModule: await WebAssembly.compile(initdb as Uint8Array<ArrayBuffer>),
      fsBundle: new Blob([bundle as Uint8Array<ArrayBuffer>]),
    };
  })();
  return binaries;
}

type WorkerError =
  | { driver: ConstructorParameters<typeof DriverAdapterError>[0]; message: string }
  | {
      name: string;
      message: string;
    };
type WorkerReply = { ready: true } | { id: number; value: unknown } | { id: number; error: WorkerError };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The embedded database running in its worker thread: calls go out as messages, answers come back. */
export class EmbeddedDatabase {
  private readonly pending = new Map<number, Pending>();
  private lastId = 0;
  private stopped: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (reply: WorkerReply) => this.settle(reply));
    worker.on("error", (error) => this.stop(new Error(`the embedded database failed: ${error.message}`)));
    worker.on("exit", () => this.stop(new Error("the embedded database has stopped")));
    // Idle, the worker does not keep the process alive; a call in flight does.
    worker.unref();
  }

  /** Starts PGlite on `dataDir` ("memory://" for one in memory), from a snapshot when given one. */
  static async start(dataDir: string, snapshot?: ArrayBuffer): Promise<EmbeddedDatabase> {
    const worker = new Worker(WORKER_URL, {
      workerData: { dataDir, snapshot, binaries: await pgliteBinaries() },
      transferList: snapshot ? [snapshot] : [],
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) =>
        reject(new Error(`the embedded database did not start: ${error.message}`));
      worker.once("error", onError);
      worker.once("message", () => {
        worker.off("error", onError);
        resolve();
      });
    });
    return new EmbeddedDatabase(worker);
  }

  call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    this.lastId += 1;
    const id = this.lastId;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, op, ...args });
    });
  }

  /** A session for the migration runner: rows as objects. */
  migrationSession(): MigrationSession {
    return {
      query: <Row>(sql: string, params?: unknown[]) => this.call<Row[]>("query", { sql, params }),
      exec: (script: string) => this.call<void>("exec", { script }),
    };
  }

  /** The database as a tarball, to start copies of it with `start(…, snapshot)`. */
  dump(): Promise<ArrayBuffer> {
    return this.call<ArrayBuffer>("dump");
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    await this.call("close");
    this.stop(new Error("the embedded database is closed"));
    await this.worker.terminate();
  }

  private settle(reply: WorkerReply): void {
    if ("ready" in reply) return;
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ("error" in reply) pending.reject(asError(reply.error));
    else pending.resolve(reply.value);
  }

  private stop(reason: Error): void {
    this.stopped ??= reason;
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
  }
}

function asError(error: WorkerError): Error {
  if ("driver" in error) return new DriverAdapterError(error.driver);
  const copy = new Error(error.message);
  copy.name = error.name;
  return copy;
}

/** Queries of the adapter or of one open transaction (`tx`), answered by the worker. */
class WorkerQueryable {
  readonly provider = "postgres";
  readonly adapterName = ADAPTER_NAME;

  constructor(
    protected readonly db: EmbeddedDatabase,
    protected readonly tx?: number,
  ) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.db.call<SqlResultSet>("queryRaw", { tx: this.tx, query });
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.db.call<number>("executeRaw", { tx: this.tx, query });
  }
}

class WorkerTransaction extends WorkerQueryable implements Transaction {
  constructor(
    db: EmbeddedDatabase,
    tx: number,
    readonly options: TransactionOptions,
  ) {
    super(db, tx);
  }

  async commit(): Promise<void> {
    await this.db.call("commit", { tx: this.tx });
  }

  async rollback(): Promise<void> {
    await this.db.call("rollback", { tx: this.tx });
  }
}

class WorkerAdapter extends WorkerQueryable implements SqlDriverAdapter {
  async executeScript(script: string): Promise<void> {
    await this.db.call("exec", { script });
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const { tx, options } = await this.db.call<{ tx: number; options: TransactionOptions }>(
      "startTransaction",
      { isolationLevel },
    );
    return new WorkerTransaction(this.db, tx, options);
  }

  getConnectionInfo() {
    return { supportsRelationJoins: true };
  }

  async dispose(): Promise<void> {}
}

/** A Prisma driver adapter whose queries run in the embedded database's worker. */
export function workerAdapterFactory(db: EmbeddedDatabase): SqlDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: ADAPTER_NAME,
    connect: async () => new WorkerAdapter(db),
  };
}
