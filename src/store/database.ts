import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { EmbeddedDatabase, workerAdapterFactory } from "./embedded.ts";
import { migrate } from "./migrate.ts";

export type StoreKind = "pglite" | "postgres";

export interface Store {
  prisma: PrismaClient;
  kind: StoreKind;
  /** Migrations this opening applied (empty when the schema was already up to date). */
  migrationsApplied: string[];
  /** PostgreSQL only: the connection pool behind `prisma`, for what Prisma cannot do (COPY). */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export type StoreLocation =
  | { databaseUrl: string }
  /** A folder for the embedded database, or "memory://" for one that lives in this process only. */
  | { dataDir: string };

/** Opens the store and brings its schema up to date. */
export async function openStore(location: StoreLocation): Promise<Store> {
  return "databaseUrl" in location ? openPostgres(location.databaseUrl) : openEmbedded(location.dataDir);
}

async function openEmbedded(dataDir: string): Promise<Store> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const db = inMemory ? await startInMemory(dataDir) : await EmbeddedDatabase.start(dataDir);
  const migrationsApplied = await migrate(db.migrationSession());
  const prisma = new PrismaClient({ adapter: workerAdapterFactory(db) });
  return {
    prisma,
    kind: "pglite",
    migrationsApplied,
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}

/** A migrated, empty database, kept to start every later in-memory one from (tests open many). */
let migratedSnapshot: Promise<ArrayBuffer> | undefined;

async function startInMemory(dataDir: string): Promise<EmbeddedDatabase> {
  if (migratedSnapshot === undefined) {
    migratedSnapshot = (async () => {
      const template = await EmbeddedDatabase.start(dataDir);
      try {
        await migrate(template.migrationSession());
        return await template.dump();
      } finally {
        await template.close();
      }
    })();
    migratedSnapshot.catch(() => {
      migratedSnapshot = undefined;
    });
  }
  return EmbeddedDatabase.start(dataDir, (await migratedSnapshot).slice(0));
}

async function openPostgres(databaseUrl: string): Promise<Store> {
  const migrationsApplied = await migratePostgres(databaseUrl);
  // The analytics are many small index probes: PostgreSQL's JIT compiles them for longer than they
  // run (weekly digest on 5,000 posts: 2.2 s with JIT, 0.56 s without).
  // Connections beyond what the cores can serve only queue: the usual (2 × cores) + 1.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    options: "-c jit=off",
    max: 2 * availableParallelism() + 1,
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
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

export async function migratePostgres(databaseUrl: string): Promise<string[]> {
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
