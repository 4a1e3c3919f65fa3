// The floor of `longtail ask` on the embedded store: node opening PGlite on a data folder, one
// SELECT, close; nothing of Longtail's. `node bench/pgliteFloor.mjs DIR` opens it with PGlite's own
// defaults; `… DIR --one-shot` through the compiled store (dist/) as the CLI opens it (ONE_SHOT).
// Run by bench/cliStart.ts; prints the number of posts.
const [dataDir, how] = process.argv.slice(2);
const SELECT = "SELECT count(*)::int AS posts FROM post";

if (how === "--one-shot") {
  const { EmbeddedDatabase, ONE_SHOT } = await import("../dist/store/embedded.js");
  const db = await EmbeddedDatabase.start(dataDir, ONE_SHOT);
  const [row] = await db.call("query", { sql: SELECT });
  await db.close();
  console.log(row.posts);
} else {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(dataDir);
  const { rows } = await db.query(SELECT);
  await db.close();
  console.log(rows[0].posts);
}
