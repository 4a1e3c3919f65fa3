import { defineConfig } from "vitest/config";

// The browser suite (test/**/*.browser.ts): `npm start` and Debian's chromium, run by .ci/run.
export default defineConfig({
  test: {
    include: ["test/**/*.browser.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
