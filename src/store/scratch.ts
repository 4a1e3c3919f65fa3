import { randomBytes } from "node:crypto";
import pg from "pg";
import { openStore, type Store } from "./database.ts";

/**
 * A throwaway, migrated store for tests and benchmarks: an in-memory PGlite when no server is
 * given, else a new database with a random name on that PostgreSQL server, dropped again by
 * `close`. It never touches data it did not make.
 */
export async function openScratchStore(serverUrl: string | undefined, prefix: string): Promise<Store> {
  if (!serverUrl) return openStore({ dataDir: "memory://" });
  const database = `${prefix}_${randomBytes(6).toString("hex")}`;
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
