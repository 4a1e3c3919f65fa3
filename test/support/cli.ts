/**
 * The CLI as `npm run longtail` runs it, from source, minus npx's own start-up (about a second a
 * run): `execFile(CLI, [...CLI_ARGS, ...args])`.
 */
export const CLI = process.execPath;
export const CLI_ARGS = ["--import", "tsx", "src/cli.ts"];
