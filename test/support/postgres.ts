import { describe } from "vitest";
import { openStore, type Store } from "../../src/store/database.ts";

const serverUrl = process.env.LONGTAIL_TEST_DATABASE_URL;

/** A suite that needs a PostgreSQL server: without LONGTAIL_TEST_DATABASE_URL it is skipped, saying how to run it. */
export function describeOnPostgres(title: string, suite: () => void): void {
  describe.skipIf(!serverUrl)(
    title + (serverUrl ? "" : " — skipped: set LONGTAIL_TEST_DATABASE_URL (npm run test:pg runs it)"),
    suite,
  );
}

/** The URL of `store`'s PostgreSQL database on `server` (by default the one LONGTAIL_TEST_DATABASE_URL names). */
export async function databaseUrlOf(store: Store, server = serverUrl ?? ""): Promise<string> {
  const [{ database }] = await store.prisma.$queryRawUnsafe<[{ database: string }]>(
    "SELECT current_database() AS database",
  );
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * `store`'s PostgreSQL database (a scratch one on the server LONGTAIL_TEST_DATABASE_URL names)
 * through a connection pool of its own, as a second process of the bot would reach it.
 */
export async function openSecondPool(store: Store): Promise<Store> {
  return openStore({ databaseUrl: await databaseUrlOf(store) });
}
