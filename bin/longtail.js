#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so a global install needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
