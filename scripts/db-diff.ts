/**
 * Authors a new migration offline: diffs prisma/migrations against prisma/schema.prisma
 * with Prisma's WebAssembly schema engine, using an in-memory PGlite as the shadow database.
 *
 *   npm run db:diff -- add_subscriptions     writes prisma/migrations/<timestamp>_add_subscriptions/
 *   npm run db:diff -- --check               exits 1 when the schema has changes no migration holds
 *
 * With Prisma's native engine available, `prisma migrate dev --create-only` does the same.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

const root = resolve(import.meta.dirname, "..");
const migrationsDir = join(root, "prisma", "migrations");
const schemaPath = join(root, "prisma", "schema.prisma");
const LOCKFILE = 'provider = "postgresql"\n';

// TypeScript's Node typings leave out the WebAssembly values; this is the part used here.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

async function loadSchemaEngine() {
  // On Node 20 the package's `import * as wasm from "./x.wasm"` does not load: instantiate by hand.
  const require = createRequire(import.meta.url);
  const pkgDir = resolve(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"), "..");
  const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = readFileSync(join(pkgDir, "schema_engine_bg.wasm"));
  const instance = new wasm.Instance(new wasm.Module(bytes), { "./schema_engine_bg.js": bg });
  (bg as unknown as { __wbg_set_wasm: (exports: unknown) => void }).__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg;
}

function migrationDirectories() {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: {
          tag: "ok" as const,
          value: readFileSync(join(migrationsDir, name, "migration.sql"), "utf8"),
        },
      },
    }));
}

async function diffSql(): Promise<string> {
  const { SchemaEngine } = await loadSchemaEngine();
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(new PGlite()));
  const schema = { path: schemaPath, content: readFileSync(schemaPath, "utf8") };
  const engine = await SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    adapterFactory,
  );
  const result = await engine.diff({
    from: {
      tag: "migrations",
      baseDir: migrationsDir,
      lockfile: { path: "migration_lock.toml", content: LOCKFILE },
      shadowDbInitScript: "",
      migrationDirectories: migrationDirectories(),
    },
    to: { tag: "schemaDatamodel", files: [schema] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return result.stdout ?? "";
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

async function main() {
  const arg = process.argv[2];
  mkdirSync(migrationsDir, { recursive: true });
  const sql = await diffSql();
  const empty = !sql.trim() || /^-- This is an empty migration\.\s*$/.test(sql.trim());
  if (arg === "--check") {
    if (!empty) {
      console.error(`prisma/schema.prisma has changes that no migration holds:\n${sql}`);
      process.exit(1);
    }
    console.log("Migrations match prisma/schema.prisma.");
    return;
  }
  if (!arg || !/^[a-z0-9_]+$/.test(arg)) {
    console.error("Usage: npm run db:diff -- <name_in_snake_case> | --check");
    process.exit(2);
  }
  if (empty) {
    console.log("No changes: prisma/schema.prisma matches the migrations.");
    return;
  }
  const dir = join(migrationsDir, `${timestamp()}_${arg}`);
  mkdirSync(dir);
  writeFileSync(join(dir, "migration.sql"), sql);
  writeFileSync(join(migrationsDir, "migration_lock.toml"), LOCKFILE);
  console.log(`Wrote ${join(dir, "migration.sql")}`);
}

await main();
