import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A single database session: migrations need one connection for the advisory lock. */
export interface MigrationSession {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script that may hold several statements. */
  exec(script: string): Promise<void>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));

// Any constant works; it only has to be the same for every replica of this app.
const MIGRATION_LOCK_KEY = 72_616_974;

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** The table exactly as Prisma creates it, so `prisma migrate status/deploy` accept the database. */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedMigration {
  migration_name: string;
  checksum: string;
}

/**
 * Applies the migrations that have not run yet, each in its own transaction, and records
 * them as Prisma does. Refuses to continue when an applied migration's file has changed.
 * Returns the names it applied.
 */
export async function migrate(session: MigrationSession, migrations = readMigrations()): Promise<string[]> {
  if (await upToDate(session, migrations)) return [];
  await session.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const appliedChecksums = await appliedMigrations(session);
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      const checksum = appliedChecksums.get(migration.name);
      if (checksum === undefined) {
        await applyMigration(session, migration);
        newlyApplied.push(migration.name);
      } else if (checksum !== migration.checksum) {
        throw new Error(
          `Migration ${migration.name} was changed after it was applied (checksum differs). ` +
            "Restore the original file and put the change in a new migration (npm run db:diff -- NAME).",
        );
      }
    }
    return newlyApplied;
  } finally {
    await session.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
  }
}

async function appliedMigrations(session: MigrationSession): Promise<Map<string, string>> {
  const applied = await session.query<AppliedMigration>(
    `SELECT migration_name, checksum FROM "_prisma_migrations"
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return new Map(applied.map((row) => [row.migration_name, row.checksum]));
}

/**
 * Whether every migration has run, unchanged: what nearly every opening finds, told by one query
 * without the lock (a migration still running has no finished_at, so it is not taken for done).
 * Any failure, such as no migrations table yet, leaves it to the locked path, which reports it.
 */
async function upToDate(session: MigrationSession, migrations: Migration[]): Promise<boolean> {
  const applied = await appliedMigrations(session).catch(() => undefined);
  return (
    applied !== undefined &&
    migrations.every((migration) => applied.get(migration.name) === migration.checksum)
  );
}

async function applyMigration(session: MigrationSession, migration: Migration): Promise<void> {
  const id = randomUUID();
  await session.exec("BEGIN");
  try {
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    await session.exec(migration.sql);
    await session.query(
      `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await session.exec("COMMIT");
  } catch (error) {
    await session.exec("ROLLBACK");
    throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
  }
}
