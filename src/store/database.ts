import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { errorSummary, log } from "../log.ts";
import { EmbeddedDatabase, type EmbeddedOptions, workerAdapterFactory } from "./embedded.ts";
import { migrate } from "./migrate.ts";
import { ensureSnapshotMonths, snapshotMonthsAround } from "./partitions.ts";
import { ReplicaHealth, type ReplicaSettings, readRoutingAdapterFactory } from "./replica.ts";
import { statementNames } from "./statementNames.ts";

export type StoreKind = "pglite" | "postgres";

export interface Store {
  prisma: PrismaClient;
  kind: StoreKind;
  /** Migrations this opening applied (empty when the schema was already up to date). */
  migrationsApplied: string[];
  /** PostgreSQL only: the connection pool behind `prisma`, for what Prisma cannot do (COPY). */
  pool?: pg.Pool;
  /**
   * PostgreSQL with a read replica only: the client insight answers read through. It uses the
   * replica while `replica` says it is healthy and current, else the primary. Writes, leases and
   * the outbox always use `prisma`.
   */
  reads?: PrismaClient;
  replica?: ReplicaHealth;
  /** The embedded store only: its database, e.g. to end its worker thread as a crash would. */
  embedded?: EmbeddedDatabase;
  close(): Promise<void>;
}

export type StoreLocation =
  | { databaseUrl: string; replica?: ReplicaSettings }
  /** A folder for the embedded database, or "memory://" for one that lives in this process only. */
  | { dataDir: string };

/** The PostgreSQL driver and Prisma's adapter for it, loaded for a server only: the embedded store never needs them. */
interface PostgresDriver {
  pg: typeof pg;
  PrismaPg: typeof PrismaPg;
}

let driver: Promise<PostgresDriver> | undefined;

function postgresDriver(): Promise<PostgresDriver> {
  driver ??= Promise.all([import("pg"), import("@prisma/adapter-pg")]).then(([pgModule, adapter]) => ({
    pg: pgModule.default,
    PrismaPg: adapter.PrismaPg,
  }));
  return driver;
}

/** Opens the store and brings its schema up to date; `embedded` says how to run an embedded one. */
export async function openStore(location: StoreLocation, embedded: EmbeddedOptions = {}): Promise<Store> {
  const store = await openPrimary(location, embedded);
  try {
    // metric_snapshot's month partitions around today (older or later months go to DEFAULT).
    await ensureSnapshotMonths(store.prisma, new Date());
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

async function openPrimary(location: StoreLocation, embedded: EmbeddedOptions): Promise<Store> {
  if (!("databaseUrl" in location)) return openEmbedded(location.dataDir, embedded);
  const postgres = await postgresDriver();
  const store = await openPostgres(postgres, location.databaseUrl);
  return location.replica ? withReadReplica(postgres, store, location.replica) : store;
}

async function openEmbedded(dataDir: string, options: EmbeddedOptions): Promise<Store> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const db = inMemory
    ? await startInMemory(dataDir, options)
    : await EmbeddedDatabase.start(dataDir, options);
  const migrationsApplied = await migrate(db.migrationSession());
  const prisma = new PrismaClient({ adapter: workerAdapterFactory(db) });
  return {
    prisma,
    kind: "pglite",
    migrationsApplied,
    embedded: db,
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}

/** A migrated, empty database, kept to start every later in-memory one from (tests open many). */
let migratedSnapshot: Promise<ArrayBuffer> | undefined;

async function startInMemory(dataDir: string, options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  if (migratedSnapshot === undefined) {
    migratedSnapshot = (async () => {
      const template = await EmbeddedDatabase.start(dataDir, options);
      try {
        const session = template.migrationSession();
        await migrate(session);
        // Made once here, so the stores started from the snapshot find their months made.
        const [from, to] = snapshotMonthsAround(new Date());
        await session.query("SELECT ensure_metric_snapshot_months($1::timestamptz, $2::timestamptz)", [
          from.toISOString(),
          to.toISOString(),
        ]);
        return await template.dump();
      } finally {
        await template.close();
      }
    })();
    migratedSnapshot.catch(() => {
      migratedSnapshot = undefined;
    });
  }
  return EmbeddedDatabase.start(dataDir, { ...options, snapshot: (await migratedSnapshot).slice(0) });
}

async function openPostgres(
  { pg, PrismaPg }: PostgresDriver,
  databaseUrl: string,
): Promise<Store & { pool: pg.Pool }> {
  const migrationsApplied = await migratePostgres(databaseUrl);
  const pool = serverPool(pg, databaseUrl);
  const prisma = new PrismaClient({
    adapter: adapterOver(PrismaPg, pool),
  });
  return {
    prisma,
    kind: "postgres",
    migrationsApplied,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Names for the statements marked PREPARED, the same in every pool of this process (primary and replica alike). */
const STATEMENT_NAMES = statementNames();

/** Prisma's adapter over one of the process's pools, naming the PREPARED statements. */
function adapterOver(Adapter: typeof PrismaPg, pool: pg.Pool): PrismaPg {
  return new Adapter(pool, { statementNameGenerator: STATEMENT_NAMES });
}

function serverPool(driver: typeof pg, databaseUrl: string, extra: pg.PoolConfig = {}): pg.Pool {
  // The analytics are many small index probes: PostgreSQL's JIT compiles them for longer than they
  // run (weekly digest on 5,000 posts: 2.2 s with JIT, 0.56 s without).
  // Connections beyond what the cores can serve only queue: the usual (2 × cores) + 1.
  // Answers already run one per core (SERVER_ANSWERS): parallel workers inside a statement only
  // take the cores of the answers beside it (the digest's two statements side by side, 2 cores:
  // p50 243 -> 168 ms on the benchmark data, 1,308 -> 565 ms at 4×).
  const pool = new driver.Pool({
    connectionString: databaseUrl,
    options: "-c jit=off -c max_parallel_workers_per_gather=0",
    max: 2 * availableParallelism() + 1,
    ...extra,
  });
  // An idle connection the server ends (a restart, a failover, pg_terminate_backend) errors on the
  // pool; unheard, that error would end the process. The pool drops the connection and opens a
  // new one for the next query.
  pool.on("error", (error) => log.warn({ err: errorSummary(error) }, "a database connection was closed"));
  return pool;
}

/**
 * Adds the read client: the replica while it is healthy and current, else the primary's pool.
 * Waits for the first measurement (at most the 2 s connection timeout when the replica is
 * down), so a one-shot CLI command reads from the replica too.
 */
async function withReadReplica(
  { pg, PrismaPg }: PostgresDriver,
  store: Store & { pool: pg.Pool },
  settings: ReplicaSettings,
): Promise<Store> {
  // Named, to be told apart in pg_stat_activity; quick to give up, as the primary can answer.
  const replicaPool = serverPool(pg, settings.url, {
    application_name: "longtail-reads",
    connectionTimeoutMillis: 2_000,
  });
  const health = new ReplicaHealth(store.pool, replicaPool, settings);
  const reads = new PrismaClient({
    adapter: readRoutingAdapterFactory(
      adapterOver(PrismaPg, store.pool),
      adapterOver(PrismaPg, replicaPool),
      health,
    ),
  });
  await health.check();
  return {
    ...store,
    reads,
    replica: health,
    async close() {
      await reads.$disconnect();
      await replicaPool.end();
      await store.close();
    },
  };
}

export async function migratePostgres(databaseUrl: string): Promise<string[]> {
  const { pg } = await postgresDriver();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await migrate({
      query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
      exec: async (script) => {
        await client.query(script);
      },
    });
  } finally {
    await client.end();
  }
}
