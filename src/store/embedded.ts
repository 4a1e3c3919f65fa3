import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import v8 from "node:v8";
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
import { log } from "../log.ts";
import type { MigrationSession } from "./migrate.ts";

const WORKER_URL = new URL("./embeddedWorker.mjs", import.meta.url);
const ENGINE_URL = new URL("./embeddedEngine.mjs", import.meta.url);
const ADAPTER_NAME = "longtail-pglite-worker";

/** PGlite's WebAssembly and file bundle, read and compiled once per process instead of once per worker. */
interface PgliteBinaries {
  pgliteWasmModule: WebAssembly.Module;
  initdbWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

let binaries: Promise<PgliteBinaries> | undefined;

function pgliteBinaries(options: EmbeddedOptions): Promise<PgliteBinaries> {
  if (binaries === undefined && options.baselineCompilerOnly) v8.setFlagsFromString("--liftoff-only");
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

/** What the embedded store is asked to do when it opens. */
export interface EmbeddedOptions {
  /**
   * Run PGlite in the calling thread instead of a worker thread. For one-shot commands: the
   * worker exists so that a server's event loop can acknowledge Slack and Teams while the
   * database works; a command has nothing to acknowledge, and a thread of its own costs it
   * start-up time and memory.
   */
  inProcess?: boolean;
  /** PostgreSQL settings for this start, as `name=value` (e.g. "shared_buffers=16MB"). */
  settings?: string[];
  /**
   * Compile WebAssembly with V8's baseline compiler (Liftoff) only, never optimising it: for a
   * short command, optimising PGlite's code costs more than it saves. It holds for the whole
   * process and only if given at its first start.
   */
  baselineCompilerOnly?: boolean;
}

/**
 * How a command that opens the store, asks it a few questions and exits runs PGlite: in its own
 * thread, compiled by the baseline compiler, with 16 MB of shared buffers instead of 128 MB (which
 * PGlite zeroes at start: time and resident memory a short command never uses).
 */
export const ONE_SHOT: EmbeddedOptions = {
  inProcess: true,
  baselineCompilerOnly: true,
  settings: ["shared_buffers=16MB"],
};

/** A database in memory starts from this snapshot (a tarball of `dump()`), when given one. */
interface StartOptions extends EmbeddedOptions {
  snapshot?: ArrayBuffer;
}

/**
 * The answer for calls in flight when the worker thread died (a crash, out of memory): the
 * database restarts by itself, so the same question asked again is answered.
 */
export class EmbeddedDatabaseRestartError extends Error {
  constructor(why: string) {
    super(`the embedded database stopped (${why}) and is restarting; try again`);
    this.name = "EmbeddedDatabaseRestartError";
  }
}

/** How embeddedEngine.mjs describes an error, to be rebuilt on this side. */
type EngineError =
  | { driver: ConstructorParameters<typeof DriverAdapterError>[0]; message: string }
  | { name: string; message: string };

/** The operations of a started engine, by name. */
type Operations = Record<string, ((args: Record<string, unknown>) => Promise<unknown>) | undefined>;

/** What embeddedEngine.mjs exports (plain JavaScript: the worker thread runs it without a loader). */
interface EngineModule {
  startEngine(options: StartOptions & { dataDir: string; binaries: PgliteBinaries }): Promise<Operations>;
  describeError(error: unknown): EngineError;
}

type WorkerReply = { ready: true } | { id: number; value: unknown } | { id: number; error: EngineError };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** One running PGlite: in a worker thread, or in this one. */
interface Engine {
  call(op: string, args: Record<string, unknown>): Promise<unknown>;
  /** Ends it without closing the database, as a crash would. */
  kill(): Promise<void>;
}

/** PGlite in a worker thread: calls go out as messages, answers come back. */
class WorkerEngine implements Engine {
  private readonly pending = new Map<number, Pending>();
  private lastId = 0;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    onDeath: (why: string) => Error,
  ) {
    let failure = "";
    worker.on("message", (reply: WorkerReply) => this.settle(reply));
    worker.on("error", (error) => {
      failure = `: ${error.message}`;
    });
    worker.on("exit", (code) => {
      this.exited = true;
      const reason = onDeath(`its thread exited with code ${code}${failure}`);
      for (const pending of this.pending.values()) pending.reject(reason);
      this.pending.clear();
    });
    // Idle, the worker does not keep the process alive; a call in flight does.
    worker.unref();
  }

  static async start(
    options: StartOptions & { dataDir: string },
    onDeath: (why: string) => Error,
  ): Promise<WorkerEngine> {
    const { snapshot, settings } = options;
    const worker = new Worker(WORKER_URL, {
      workerData: { dataDir: options.dataDir, snapshot, settings, binaries: await pgliteBinaries(options) },
      transferList: snapshot ? [snapshot] : [],
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) => reject(new Error(`the embedded database did not start: ${why}`));
      const onError = (error: Error) => fail(error.message);
      const onExit = (code: number) => fail(`its thread exited with code ${code}`);
      worker.once("error", onError);
      worker.once("exit", onExit);
      worker.once("message", () => {
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolve();
      });
    });
    return new WorkerEngine(worker, onDeath);
  }

  call(op: string, args: Record<string, unknown>): Promise<unknown> {
    if (this.exited) return Promise.reject(new EmbeddedDatabaseRestartError("its thread had exited"));
    this.lastId += 1;
    const id = this.lastId;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...args });
    });
  }

  async kill(): Promise<void> {
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
}

/** PGlite in this thread; errors take the same shape as across the thread. */
class InProcessEngine implements Engine {
  private constructor(
    private readonly operations: Operations,
    private readonly describeError: (error: unknown) => EngineError,
  ) {}

  static async start(options: StartOptions & { dataDir: string }): Promise<InProcessEngine> {
    // Loaded only here: a server keeps PGlite in its worker thread, out of this one.
    const { startEngine, describeError } = (await import(ENGINE_URL.href)) as EngineModule;
    const operations = await startEngine({ ...options, binaries: await pgliteBinaries(options) });
    return new InProcessEngine(operations, describeError);
  }

  async call(op: string, args: Record<string, unknown>): Promise<unknown> {
    const operation = this.operations[op];
    if (operation === undefined) throw new Error(`no operation ${op}`);
    try {
      return await operation(args);
    } catch (error) {
      throw asError(this.describeError(error));
    }
  }

  async kill(): Promise<void> {}
}

/**
 * The embedded database. In a worker thread (the default) it restarts by itself when the thread
 * dies: the calls in flight fail with EmbeddedDatabaseRestartError, later calls go to the new
 * thread. One in memory is not restarted: its data died with the thread.
 */
export class EmbeddedDatabase {
  private engine: Promise<Engine>;
  /** The last (re)start failed: the next call tries again. */
  private startFailed = false;
  private stopped: Error | undefined;

  private constructor(private readonly options: StartOptions & { dataDir: string }) {
    this.engine = this.startEngine();
  }

  /** Starts PGlite on `dataDir` ("memory://" for one in memory). */
  static async start(dataDir: string, options: StartOptions = {}): Promise<EmbeddedDatabase> {
    const db = new EmbeddedDatabase({ ...options, dataDir });
    await db.engine;
    // A snapshot is handed to the first thread; a restart never needs it (see the class comment).
    db.options.snapshot = undefined;
    return db;
  }

  async call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.stopped) throw this.stopped;
    if (this.startFailed) {
      this.startFailed = false;
      this.engine = this.startEngine();
    }
    return (await (await this.engine).call(op, args)) as T;
  }

  /** A session for the migration runner: rows as objects. */
  migrationSession(): MigrationSession {
    return {
      query: <Row>(sql: string, params?: unknown[]) => this.call<Row[]>("query", { sql, params }),
      exec: (script: string) => this.call<void>("exec", { script }),
    };
  }

  /** The database as a tarball, to start copies of it with `start(…, { snapshot })`. */
  dump(): Promise<ArrayBuffer> {
    return this.call<ArrayBuffer>("dump");
  }

  /** Ends the worker thread abruptly, as a crash or running out of memory would (fault tests). */
  async killWorker(): Promise<void> {
    await (await this.engine).kill();
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    const engine = await this.engine;
    this.stopped = new Error("the embedded database is closed");
    await engine.call("close", {});
    await engine.kill();
  }

  private startEngine(): Promise<Engine> {
    if (this.options.inProcess) return InProcessEngine.start(this.options);
    const engine = WorkerEngine.start(this.options, (why) => this.restart(why));
    // A failed start is seen by the calls that await it; the next call tries again.
    engine.catch(() => {
      if (this.engine === engine) this.startFailed = true;
    });
    return engine;
  }

  /** The worker thread died: start another one; returns what the calls in flight are told. */
  private restart(why: string): Error {
    if (this.stopped) return this.stopped;
    if (this.options.dataDir.startsWith("memory://")) {
      this.stopped = new Error(`the embedded database in memory has stopped (${why}); its data is gone`);
      log.error({ why }, "The embedded database in memory stopped");
      return this.stopped;
    }
    log.error({ why }, "The embedded database stopped; restarting it");
    this.engine = this.startEngine();
    return new EmbeddedDatabaseRestartError(why);
  }
}

function asError(error: EngineError): Error {
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
