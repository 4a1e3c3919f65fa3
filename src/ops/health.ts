import type { Store } from "../store/database.ts";
import { readMigrations } from "../store/migrate.ts";

export type Readiness = { ready: true } | { ready: false; reason: string };

/** A store that does not answer within this long counts as unreachable. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Ready to serve: the store answers, and every migration this build ships has been applied
 * (another replica may still be running them under the advisory lock). Asked afresh each time,
 * so a replica whose database went away is ready again as soon as it is back.
 */
export async function readiness(
  store: Pick<Store, "prisma">,
  migrationNames: readonly string[] = readMigrations().map((migration) => migration.name),
): Promise<Readiness> {
  let applied: Set<string>;
  try {
    applied = await withTimeout(appliedMigrations(store), READINESS_TIMEOUT_MS);
  } catch {
    return { ready: false, reason: "the database does not answer" };
  }
  const pending = migrationNames.filter((name) => !applied.has(name));
  if (pending.length > 0)
    return { ready: false, reason: `${pending.length} database migration(s) not applied yet` };
  return { ready: true };
}

async function appliedMigrations(store: Pick<Store, "prisma">): Promise<Set<string>> {
  const rows = await store.prisma.$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  return new Set(rows.map((row) => row.migration_name));
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
