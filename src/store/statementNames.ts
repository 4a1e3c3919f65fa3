import type { SqlQuery } from "@prisma/driver-adapter-utils";

/** At most this many statements are prepared on each connection (the number Prisma's own engine once kept). */
const PREPARED_STATEMENTS = 100;

/**
 * Names for PostgreSQL prepared statements, one per SQL text, shared by the process's pools: a
 * connection parses and plans a statement the first time it runs it and later only binds and
 * executes it. The `/creator` card, one statement of many CTEs, took 3.9 ms a call planned each
 * time and 1.7 ms prepared (benchmark data). The texts are few and fixed by the code; should some
 * not be, past the first PREPARED_STATEMENTS texts statements are unnamed again (""; planned
 * every time), so a connection never holds more.
 */
export function statementNames(): (query: SqlQuery) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined) {
      if (names.size >= PREPARED_STATEMENTS) return "";
      name = `longtail_${names.size + 1}`;
      names.set(sql, name);
    }
    return name;
  };
}
