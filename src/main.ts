import { loadConfig, storeLocation } from "./config.ts";
import { seedDemo } from "./ingest/demo.ts";
import { weeklyDigest } from "./insights/weeklyDigest.ts";
import { renderText } from "./render/text.ts";
import { openStore } from "./store/database.ts";
import { findWorkspace } from "./store/workspaces.ts";

/** With no chat platform configured: seed the demo workspace and print its weekly digest. */
async function runDemo(): Promise<void> {
  const config = loadConfig();
  const store = await openStore(storeLocation(config));
  try {
    const now = new Date();
    console.log("Seeding the demo workspace (40 creators, 12 weeks of daily snapshots)…");
    await seedDemo(store, { now });
    const workspace = await findWorkspace(store.prisma, "demo");
    if (!workspace) throw new Error("The demo workspace was not created.");
    console.log(`\n${renderText(await weeklyDigest({ prisma: store.prisma, workspace }, {}, now))}\n`);
    console.log(
      'Ask more: npm run longtail -- ask "top 5 creators by longevity"   (or "compare tiers", "alerts", "help")',
    );
  } finally {
    await store.close();
  }
}

await runDemo();
