/**
 * Writes the Teams app package: manifests/teams/manifest.json with this deployment's ids, and its
 * two icons, zipped as Teams' "Upload an app" expects (the three files at the zip's root).
 *
 *   MicrosoftAppId=<bot's app id> npm run teams:package            writes dist/longtail-teams.zip
 *   … TEAMS_APP_ID=<guid> TEAMS_BOT_DOMAIN=bot.example.com npm run teams:package -- --out x.zip
 *
 * The manifest is validated offline against its bundled schema ($schema) before it is zipped.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AppManifestUtils, type TeamsManifest } from "@microsoft/app-manifest";
import JSZip from "jszip";
import { z } from "zod";

const root = resolve(import.meta.dirname, "..");
export const MANIFEST_DIR = join(root, "manifests", "teams");
const ICONS = ["color.png", "outline.png"] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = (where: string) =>
  z
    .string({ error: `is missing: ${where}` })
    .trim()
    .regex(GUID, `must be a GUID: ${where}`);

const packageEnvironment = z.object({
  MicrosoftAppId: guid("the Microsoft App ID on your Azure Bot's Configuration page"),
  TEAMS_APP_ID: guid("any GUID of your own for the Teams app (defaults to MicrosoftAppId)").optional(),
  TEAMS_BOT_DOMAIN: z
    .string()
    .trim()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "must be a host name, like longtail.example.com")
    .optional(),
});

export class PackageError extends Error {}

/** The manifest with this deployment's ids, validated; throws a PackageError naming what is wrong. */
export async function deploymentManifest(env: NodeJS.ProcessEnv): Promise<TeamsManifest> {
  const parsed = packageEnvironment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")} ${issue.message}`);
    throw new PackageError(`Cannot build the Teams package:\n${problems.join("\n")}`);
  }
  const { MicrosoftAppId, TEAMS_APP_ID, TEAMS_BOT_DOMAIN } = parsed.data;
  const template = JSON.parse(await readFile(join(MANIFEST_DIR, "manifest.json"), "utf8"));
  const manifest = {
    ...template,
    id: TEAMS_APP_ID ?? MicrosoftAppId,
    bots: template.bots.map((bot: object) => ({ ...bot, botId: MicrosoftAppId })),
    validDomains: TEAMS_BOT_DOMAIN ? [TEAMS_BOT_DOMAIN] : [],
  } as TeamsManifest;
  const failures = await AppManifestUtils.validateAgainstSchema(manifest);
  if (failures.length > 0)
    throw new PackageError(`The Teams manifest does not validate:\n  ${failures.join("\n  ")}`);
  return manifest;
}

/** Writes the zip (manifest.json, color.png, outline.png); returns its path. */
export async function writeTeamsPackage(env: NodeJS.ProcessEnv, outFile: string): Promise<string> {
  const manifest = await deploymentManifest(env);
  const zip = new JSZip();
  zip.file("manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of ICONS) zip.file(icon, await readFile(join(MANIFEST_DIR, icon)));
  const bytes = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, bytes);
  return outFile;
}

function outFileFrom(argv: readonly string[]): string {
  const at = argv.indexOf("--out");
  return resolve(at >= 0 && argv[at + 1] ? (argv[at + 1] ?? "") : join(root, "dist", "longtail-teams.zip"));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const written = await writeTeamsPackage(process.env, outFileFrom(process.argv.slice(2)));
    console.log(`Wrote ${written}: upload it in Teams (Apps → Manage your apps → Upload an app).`);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
