import type { PrismaClient } from "../generated/prisma/client.ts";

/** What queries need: the client or a transaction of it. */
export type Db = Pick<PrismaClient, "$queryRaw" | "$executeRaw" | "$queryRawUnsafe" | "$executeRawUnsafe">;
