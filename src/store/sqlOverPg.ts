import type pg from "pg";
import { Prisma } from "../generated/prisma/client.ts";
import type { SqlRunner } from "./sqlRunner.ts";

/** Prisma.sql queries over one pg connection, e.g. inside a transaction that also runs COPY. */
export function sqlOverPg(client: pg.ClientBase): SqlRunner {
  const run = (query: TemplateStringsArray | Prisma.Sql, values: unknown[]) => {
    const sql = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[]));
    return client.query(sql.text, sql.values);
  };
  return {
    async $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await run(query, values)).rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await run(query, values)).rowCount ?? 0;
    },
  };
}
