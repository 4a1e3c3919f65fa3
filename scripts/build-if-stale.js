#!/usr/bin/env node
// Compiles src/ to dist/ (npm run build) unless dist/ is newer than every file in src/:
// `npm start` runs the compiled JavaScript and stays quick to start when nothing changed.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const stamp = new URL("dist/.tsbuildinfo", root);

function newestSourceMs() {
  const src = new URL("src/", root);
  const files = readdirSync(src, { recursive: true, encoding: "utf8" });
  return Math.max(...files.map((path) => statSync(new URL(path, src)).mtimeMs));
}

function builtMs() {
  try {
    return statSync(stamp).mtimeMs;
  } catch {
    return 0;
  }
}

if (builtMs() < newestSourceMs()) {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
}
