import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/ingest/demo.ts";
import { creatorProfile } from "../../src/insights/creatorProfile.ts";
import type { Store } from "../../src/store/database.ts";
import { PREPARED, statementNames } from "../../src/store/statementNames.ts";
import { findWorkspace } from "../../src/store/workspaces.ts";
import { describeOnPostgres } from "../support/postgres.ts";
import { openTestStore } from "../support/store.ts";

const query = (sql: string) => ({ sql: `${PREPARED.text}${sql}`, args: [], argTypes: [] });

describe("statementNames", () => {
  it("names only the statements that start with PREPARED", () => {
    expect(statementNames()({ sql: "SELECT 1", args: [], argTypes: [] })).toBe("");
  });

  it("gives one name per SQL text, the same every time", () => {
    const nameOf = statementNames();
    const first = nameOf(query("SELECT 1"));
    const second = nameOf(query("SELECT 2"));
    expect(first).not.toBe("");
    expect(second).not.toBe("");
    expect(second).not.toBe(first);
    expect(nameOf(query("SELECT 1"))).toBe(first);
  });

  it("leaves statements unnamed (planned each time) past the first 100 texts", () => {
    const nameOf = statementNames();
    const names = Array.from({ length: 100 }, (_, i) => nameOf(query(`SELECT ${i}`)));
    expect(new Set(names).size).toBe(100);
    expect(nameOf(query("SELECT 100"))).toBe("");
    expect(nameOf(query("SELECT 0"))).toBe(names[0]);
  });
});

describeOnPostgres("prepared statements on PostgreSQL", () => {
  const NOW = new Date("2026-03-02T09:00:00Z");
  let store: Store;

  beforeAll(async () => {
    store = await openTestStore();
    await seedDemo(store, { now: NOW, creators: 8, slug: "acme" });
  });

  afterAll(() => store.close());

  it("a /creator card asked again runs the statement its connection prepared the first time", async () => {
    const workspace = await findWorkspace(store.prisma, "acme");
    if (!workspace) throw new Error("the demo workspace is missing");
    const [creator] = await store.prisma.creator.findMany({ where: { workspaceId: workspace.id }, take: 1 });
    const ctx = { prisma: store.prisma, workspace };
    for (let asked = 0; asked < 3; asked++) {
      const view = await creatorProfile(ctx, { handle: creator?.handle ?? "" }, NOW);
      expect(view.kind).toBe("creatorProfile");
    }
    // Queries in turn take the connection the last one gave back, so this one sees the card's.
    const prepared = await store.prisma.$queryRaw<{ runs: number }[]>`
      SELECT (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements
      WHERE statement LIKE '%WITH found AS%' AND statement NOT LIKE '%pg_prepared_statements%'`;
    expect(prepared).toEqual([{ runs: 3 }]);
  });
});
