import { randomBytes } from "node:crypto";
import pg from "pg";
import { openStore, type Store } from "../../src/store/database.ts";

/**
 * A fresh, migrated store for one test suite: an in-memory PGlite by default, or a new
 * database with a random name on the server LONGTAIL_TEST_DATABASE_URL points at
 * (dropped again by `close`). Tests never touch data they did not make.
 */
export async function openTestStore(): Promise<Store> {
  const serverUrl = process.env.LONGTAIL_TEST_DATABASE_URL;
  if (!serverUrl) return openStore({ dataDir: "memory://" });

  const database = `longtail_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const store = await openStore({ databaseUrl: url.toString() });
  return {
    ...store,
    async close() {
      await store.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
