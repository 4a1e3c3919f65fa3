import { randomBytes } from "node:crypto";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import pg from "pg";
import type { StoreKind, StoreLocation } from "../src/store/database.ts";
import { type DatasetSize, OUT_DIR, sizeLabel } from "./dataset.ts";

/** A store the benchmarks import into and query: a PGlite folder or a scratch database. */
export interface BenchTarget {
  kind: StoreKind;
  location: StoreLocation;
  /** The folder or database name, for the tables. */
  name: string;
}

export const STORE_NAMES: Record<StoreKind, string> = { pglite: "PGlite", postgres: "PostgreSQL" };

function pgliteFolder(size: DatasetSize): string {
  return `${OUT_DIR}pglite-${sizeLabel(size)}`;
}

/** Written next to a PGlite folder once an import into it has finished. */
function importedMarker(size: DatasetSize): string {
  return `${pgliteFolder(size)}.imported`;
}

function pgliteTarget(size: DatasetSize): BenchTarget {
  return {
    kind: "pglite",
    location: { dataDir: pgliteFolder(size) },
    name: `bench/out/pglite-${sizeLabel(size)}`,
  };
}

/** An empty PGlite folder for this size (an earlier one is deleted). */
export function freshPgliteTarget(size: DatasetSize): BenchTarget {
  removePgliteTarget(size);
  return pgliteTarget(size);
}

export function removePgliteTarget(size: DatasetSize): void {
  rmSync(importedMarker(size), { force: true });
  rmSync(pgliteFolder(size), { recursive: true, force: true });
}

export function markPgliteImported(size: DatasetSize): void {
  writeFileSync(importedMarker(size), `${new Date().toISOString()}\n`);
}

/** The PGlite folder of an earlier finished import of this size, if there is one. */
export function importedPgliteTarget(size: DatasetSize): BenchTarget | undefined {
  const imported = existsSync(importedMarker(size)) && existsSync(pgliteFolder(size));
  return imported ? pgliteTarget(size) : undefined;
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function serverVersion(serverUrl: string): Promise<string> {
  return onServer(
    serverUrl,
    async (client) => (await client.query("SHOW server_version")).rows[0].server_version,
  );
}

/** Databases with random names on one server, each dropped by `drop` or, at the latest, `dropAll`. */
export class ScratchDatabases {
  private readonly names = new Set<string>();

  constructor(private readonly serverUrl: string) {}

  async create(): Promise<BenchTarget> {
    const name = `longtail_bench_${randomBytes(4).toString("hex")}`;
    await onServer(this.serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    this.names.add(name);
    const url = new URL(this.serverUrl);
    url.pathname = `/${name}`;
    return { kind: "postgres", location: { databaseUrl: url.toString() }, name };
  }

  async drop(target: BenchTarget): Promise<void> {
    if (this.names.has(target.name)) await this.dropNamed(target.name);
  }

  async dropAll(): Promise<void> {
    for (const name of [...this.names]) await this.dropNamed(name);
  }

  private async dropNamed(name: string): Promise<void> {
    await onServer(this.serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    this.names.delete(name);
  }
}
