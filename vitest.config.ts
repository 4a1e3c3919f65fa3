import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Guards against a hang, not a speed check: the slowest tests take 10-15 s on a quiet machine,
    // and a machine twice as slow, with the other worker busy, must still finish them.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // Vitest's default is one worker fewer than the cores: one on CI's two. Most suites wait on
    // sockets, timers and child processes, so two workers halve the run without starving either.
    maxWorkers: 2,
  },
});
