import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IMPORT_COLUMNS } from "../../src/ingest/row.ts";
import type { Store } from "../../src/store/database.ts";

/** A folder of throw-away files for one test file. */
export function tempFolder() {
  const dir = mkdtempSync(join(tmpdir(), "longtail-ingest-"));
  return {
    dir,
    write(name: string, content: string): string {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const HEADER = IMPORT_COLUMNS.join(",");

/** One import row keyed by column name, as a JSON body carries it. */
export type Row = Record<(typeof IMPORT_COLUMNS)[number], string | number>;

/** A valid row of post P1, with the cells that differ from it. */
export function row(cells: Partial<Row> = {}): Row {
  return {
    platform: "instagram",
    creator: "anna.bakes",
    followers: 12_000,
    campaign: "spring-launch",
    post_id: "P1",
    published_at: "2026-03-01T09:00:00Z",
    fee: 250,
    captured_at: "2026-03-02T09:00:00Z",
    impressions: 1_000,
    reach: 800,
    views: 500,
    likes: 90,
    comments: 8,
    shares: 3,
    saves: 5,
    clicks: 12,
    redemptions: 2,
    conversions: 1,
    revenue: "39.95",
    ...cells,
  };
}

/** A CSV line in the standard column order, from the cells that differ from a plain valid row. */
export function csvLine(cells: Partial<Row> = {}): string {
  const cellsOf = row(cells);
  return IMPORT_COLUMNS.map((column) => cellsOf[column]).join(",");
}

export function csv(...lines: string[]): string {
  return `${[HEADER, ...lines].join("\n")}\n`;
}

/** Every row of every table, ids included, in a stable order: "nothing changed" means equal dumps. */
export async function dumpTables(store: Store) {
  const query = (sql: string) => store.prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql);
  return {
    workspace: await query("SELECT id, slug, name FROM workspace ORDER BY id"),
    campaign: await query("SELECT * FROM campaign ORDER BY id"),
    creator: await query("SELECT * FROM creator ORDER BY id"),
    post: await query("SELECT * FROM post ORDER BY id"),
    metric_snapshot: await query("SELECT * FROM metric_snapshot ORDER BY post_id, captured_at"),
  };
}

/**
 * One workspace's contents keyed by natural keys instead of ids, so two workspaces filled from
 * the same data compare equal.
 */
export async function workspaceContents(store: Store, slug: string) {
  const query = (sql: string) => store.prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, slug);
  return {
    campaigns: await query(
      `SELECT c.name FROM campaign c JOIN workspace w ON w.id = c.workspace_id WHERE w.slug = $1 ORDER BY c.name`,
    ),
    creators: await query(
      `SELECT c.platform, c.handle, c.followers FROM creator c JOIN workspace w ON w.id = c.workspace_id
       WHERE w.slug = $1 ORDER BY c.platform, c.handle`,
    ),
    posts: await query(
      `SELECT p.platform, p.external_id, c.handle, k.name AS campaign, p.published_at, p.fee::text AS fee
       FROM post p JOIN workspace w ON w.id = p.workspace_id JOIN creator c ON c.id = p.creator_id
       LEFT JOIN campaign k ON k.id = p.campaign_id
       WHERE w.slug = $1 ORDER BY p.platform, p.external_id`,
    ),
    snapshots: await query(
      `SELECT p.platform, p.external_id, s.captured_at, s.impressions, s.reach, s.views, s.likes, s.comments,
              s.shares, s.saves, s.clicks, s.redemptions, s.conversions, s.revenue::text AS revenue
       FROM metric_snapshot s JOIN post p ON p.id = s.post_id JOIN workspace w ON w.id = p.workspace_id
       WHERE w.slug = $1 ORDER BY p.platform, p.external_id, s.captured_at`,
    ),
  };
}
