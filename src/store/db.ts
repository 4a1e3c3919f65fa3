import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

/** What queries need: the client or a transaction of it. */
export type Db = Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

/**
 * Raw SQL composed with Prisma.sql: the client, a transaction of it, or one plain pg connection
 * (src/store/sqlOverPg.ts). Results keep the driver's types, so queries cast what they return.
 */
export interface SqlRunner {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<number>;
}
