#!/usr/bin/env node
// Runs the compiled CLI (npm run build, or npm install, writes dist/). During development,
// `npm run longtail -- …` runs the TypeScript sources with tsx instead.
try {
  await import("../dist/cli.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/cli.js")) throw error;
  console.error("longtail is not built yet: run `npm run build` (or `npm install`) in its folder first.");
  process.exit(1);
}
