import { Prisma } from "../generated/prisma/client.ts";
import type { EmbeddedDatabase } from "./embedded.ts";
import type { SqlRunner } from "./sqlRunner.ts";

/** Prisma.sql queries and COPY in one transaction of the embedded database (the import's). */
export interface EmbeddedTransaction extends SqlRunner {
  /** `COPY table (columns) FROM '/dev/blob'` of `data`, in PostgreSQL's text format: the rows copied. */
  copyFrom(sql: string, data: Uint8Array): Promise<number>;
}

interface SqlResult {
  rows: unknown[];
  affectedRows: number;
}

/**
 * Runs `work` in a transaction of its own on the embedded database, past Prisma: committed when
 * `work` resolves, rolled back when it throws. Other calls wait for it, as for any transaction.
 */
export async function inEmbeddedTransaction<T>(
  db: EmbeddedDatabase,
  work: (tx: EmbeddedTransaction) => Promise<T>,
): Promise<T> {
  const { tx } = await db.call<{ tx: number }>("startTransaction", {});
  const run = (query: TemplateStringsArray | Prisma.Sql, values: unknown[]) => {
    const sql = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[]));
    return db.call<SqlResult>("sql", { tx, sql: sql.text, params: sql.values });
  };
  const transaction: EmbeddedTransaction = {
    async $queryRaw<Row>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await run(query, values)).rows as Row;
    },
    async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await run(query, values)).affectedRows;
    },
    copyFrom: (sql, data) => db.call<number>("copyFrom", { tx, sql, data }),
  };
  try {
    const result = await work(transaction);
    await db.call("commit", { tx });
    return result;
  } catch (error) {
    await db.call("rollback", { tx }).catch(() => undefined);
    throw error;
  }
}
