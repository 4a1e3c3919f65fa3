import { openStore, type Store } from "../../src/store/database.ts";

/**
 * `store`'s PostgreSQL database (a scratch one on the server LONGTAIL_TEST_DATABASE_URL names)
 * through a connection pool of its own, as a second process of the bot would reach it.
 */
export async function openSecondPool(store: Store): Promise<Store> {
  const [{ database }] = await store.prisma.$queryRawUnsafe<[{ database: string }]>(
    "SELECT current_database() AS database",
  );
  const url = new URL(process.env.LONGTAIL_TEST_DATABASE_URL ?? "");
  url.pathname = `/${database}`;
  return openStore({ databaseUrl: url.toString() });
}
