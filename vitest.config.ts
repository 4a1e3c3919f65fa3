import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker fewer than the cores: one on CI's two. Most suites wait on
    // sockets, timers and child processes, so two workers halve the run without starving either.
    maxWorkers: 2,
  },
});
