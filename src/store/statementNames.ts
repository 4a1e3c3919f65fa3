import type { SqlQuery } from "@prisma/driver-adapter-utils";
import { Prisma } from "../generated/prisma/client.ts";

/**
 * Starts a statement PostgreSQL should prepare: each connection plans it the first few times it
 * runs and then keeps one plan for any parameters. For small statements asked often, where
 * planning is most of the work: the `/creator` card (one statement of many CTEs) took 3.9 ms a
 * call planned each time and 1.5 ms prepared (benchmark data). Not for statements over a period
 * of a workspace's posts: the weekly digest's plan for any parameters was slower than its plans
 * for the parameters given (4× data: p50 553–617 against 436–466 ms).
 */
export const PREPARED = Prisma.raw("/* prepared */ ");

/** At most this many statements are prepared on each connection (the number Prisma's own engine once kept). */
const PREPARED_STATEMENTS = 100;

/**
 * Names for the statements that start with PREPARED, one per SQL text, the same in all of the
 * process's pools; every other statement is unnamed (""), which PostgreSQL plans every time.
 * The prepared texts are fixed by the code; should some not be, past the first
 * PREPARED_STATEMENTS texts they are unnamed too, so a connection never holds more.
 */
export function statementNames(): (query: SqlQuery) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    if (!sql.startsWith(PREPARED.text)) return "";
    let name = names.get(sql);
    if (name === undefined) {
      if (names.size >= PREPARED_STATEMENTS) return "";
      name = `longtail_${names.size + 1}`;
      names.set(sql, name);
    }
    return name;
  };
}
