import type { Prisma } from "../generated/prisma/client.ts";

/**
 * Raw SQL composed with Prisma.sql: the client, a transaction of it, or one plain pg connection
 * (src/store/sqlOverPg.ts). Results keep the driver's types, so queries cast what they return.
 */
export interface SqlRunner {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<number>;
}
