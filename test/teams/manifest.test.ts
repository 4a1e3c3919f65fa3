import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST_DIR, PackageError, writeTeamsPackage } from "../../scripts/teams-package.ts";
import { parseCommand } from "../../src/commands/parse.ts";

const APP_ID = "aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb";

interface Command {
  title: string;
  description: string;
}

async function template() {
  return JSON.parse(await readFile(join(MANIFEST_DIR, "manifest.json"), "utf8"));
}

async function pixels(file: string) {
  const image = await loadImage(await readFile(join(MANIFEST_DIR, file)));
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  return {
    width: image.width,
    height: image.height,
    data: context.getImageData(0, 0, image.width, image.height).data,
  };
}

/** What each command's example must parse to: the command list offers only what the parser accepts. */
const EXPECTED_INTENTS: Record<string, string> = {
  creator: "creator",
  campaign: "campaign",
  top: "top",
  compare: "compareTiers",
  digest: "digest",
  alerts: "alerts",
  subscribe: "subscribe",
  alert: "alertSettings",
  help: "help",
};

describe("the Teams app manifest and package", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "longtail-teams-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("validates offline against its own schema version (1.2x)", async () => {
    const [manifest, failures] = await AppManifestUtils.readAndValidateTeamsManifest(
      join(MANIFEST_DIR, "manifest.json"),
    );
    expect(failures).toEqual([]);
    expect(manifest.manifestVersion).toMatch(/^1\.2\d$/);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });

  it("has a 192×192 color icon and a 32×32 outline icon, white on transparent", async () => {
    const color = await pixels("color.png");
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = await pixels("outline.png");
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let drawn = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
      if (a === 0) continue;
      drawn++;
      expect([r, g, b]).toEqual([255, 255, 255]);
    }
    expect(drawn).toBeGreaterThan(0);
    expect(outline.data[3]).toBe(0);
  });

  it("lists commands for personal chats, teams and group chats, each an example the parser accepts", async () => {
    const [bot] = (await template()).bots;
    const [list] = bot.commandLists;
    expect(list.scopes).toEqual(["personal", "team", "groupChat"]);
    const commands: Command[] = list.commands;
    expect(commands.map((command) => command.title)).toEqual(Object.keys(EXPECTED_INTENTS));
    for (const command of commands) {
      const example = /Example: (.+)$/.exec(command.description)?.[1] ?? "";
      expect(example.split(" ")[0]).toBe(command.title);
      expect(parseCommand(example).kind).toBe(EXPECTED_INTENTS[command.title]);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
  });

  it("npm run teams:package writes a zip with the deployment's ids, the icons at its root", async () => {
    const out = join(dir, "longtail-teams.zip");
    await writeTeamsPackage({ MicrosoftAppId: APP_ID, TEAMS_BOT_DOMAIN: "longtail.example.com" }, out);
    const zip = await JSZip.loadAsync(await readFile(out));
    expect(Object.keys(zip.files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = JSON.parse((await zip.file("manifest.json")?.async("string")) ?? "{}");
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.validDomains).toEqual(["longtail.example.com"]);
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
    expect(await zip.file("outline.png")?.async("nodebuffer")).toEqual(
      await readFile(join(MANIFEST_DIR, "outline.png")),
    );
  });

  it("refuses to package without the bot's app id, saying where to find it", async () => {
    const error = await writeTeamsPackage({}, join(dir, "none.zip")).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PackageError);
    expect((error as Error).message).toBe(
      "Cannot build the Teams package:\n  MicrosoftAppId is missing: the Microsoft App ID on your Azure Bot's Configuration page",
    );
  });
});
