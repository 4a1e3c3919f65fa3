import { readFile } from "node:fs/promises";
import { decodeEncryptionKey } from "../config.ts";
import { aligned } from "../render/text.ts";
import type { CredentialStatus, CredentialSubject } from "../store/credentials.ts";
import { type CollectedPlatform, CREATOR_HANDLE, PLATFORM_NAMES } from "./postLink.ts";

/** A connect / disconnect input the user can fix: printed as it is. */
export class ConnectionInputError extends Error {
  override name = "ConnectionInputError";
}

/** API keys and tokens are far shorter; a longer file is not one. */
const MAX_SECRET_LENGTH = 4096;
const MAX_STDIN_BYTES = 64 * 1024;

/**
 * The key or token in a file, or on stdin for "-": the whole content, trimmed. Never echoed: a
 * refusal says what is wrong with it, not what it holds.
 */
export async function readSecret(
  flag: string,
  source: string,
  stdin: AsyncIterable<Buffer | string> = process.stdin,
): Promise<string> {
  const text = source === "-" ? await readStdin(flag, stdin) : await readSecretFile(flag, source);
  const secret = text.trim();
  if (secret === "") throw new ConnectionInputError(`${flag}: ${where(source)} is empty.`);
  if (/\s/.test(secret)) {
    throw new ConnectionInputError(
      `${flag}: ${where(source)} holds more than one line or word; put only the key or token in it.`,
    );
  }
  if (secret.length > MAX_SECRET_LENGTH) {
    throw new ConnectionInputError(
      `${flag}: ${where(source)} is longer than any key or token (${MAX_SECRET_LENGTH} characters).`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(secret)) {
    throw new ConnectionInputError(`${flag}: ${where(source)} holds characters no key or token has.`);
  }
  return secret;
}

function where(source: string): string {
  return source === "-" ? "stdin" : "the file";
}

async function readSecretFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "there is no such file"
        : code === "EISDIR"
          ? "that is a folder"
          : code === "EACCES"
            ? "it cannot be read (permission denied)"
            : `it cannot be read (${code ?? "unknown error"})`;
    throw new ConnectionInputError(`${flag} ${JSON.stringify(path)}: ${why}.`);
  }
}

async function readStdin(flag: string, stdin: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_STDIN_BYTES) {
      throw new ConnectionInputError(`${flag}: stdin is longer than any key or token.`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Credentials are stored only encrypted: without LONGTAIL_ENCRYPTION_KEY there is nowhere to keep them. */
export function credentialKey(encoded: string | undefined): Buffer {
  const key = encoded === undefined ? undefined : decodeEncryptionKey(encoded);
  if (!key) {
    throw new ConnectionInputError(
      "Platform credentials are stored encrypted: set LONGTAIL_ENCRYPTION_KEY first (32 bytes as 64 hex digits, " +
        "e.g. from `openssl rand -hex 32`), and keep it: the same key opens them again.",
    );
  }
  return key;
}

/** "@Maya.Runs" → "maya.runs". */
export function creatorHandle(value: string): string {
  const handle = value.replace(/^@/, "");
  if (!CREATOR_HANDLE.test(handle)) {
    throw new ConnectionInputError(
      `--creator expected a handle like @maya.runs (letters, digits, "." and "_"), got ${JSON.stringify(value.slice(0, 60))}.`,
    );
  }
  return handle.toLowerCase();
}

export function instagramAccountId(value: string): string {
  if (!/^\d{1,32}$/.test(value)) {
    throw new ConnectionInputError(
      `--account-id expected the Instagram business account's numeric id (like 17841405309211844), got ${JSON.stringify(value.slice(0, 60))}.`,
    );
  }
  return value;
}

/** The command that sets (or replaces) a credential, for messages that say what to do. */
export function connectCommand(
  platform: CollectedPlatform,
  slug: string,
  subject: CredentialSubject,
): string {
  const creator = subject === null ? "" : ` --creator @${subject}`;
  switch (platform) {
    case "youtube":
      return `longtail connect youtube --workspace ${slug} --api-key-file FILE`;
    case "instagram":
      return subject === null
        ? `longtail connect instagram --workspace ${slug} --account-id ID --token-file FILE`
        : `longtail connect instagram --workspace ${slug}${creator} --token-file FILE`;
    case "tiktok":
      return `longtail connect tiktok --workspace ${slug}${creator} --token-file FILE`;
  }
}

/** Whose credential, in words: "the workspace" or "@handle". */
export function subjectLabel(subject: CredentialSubject): string {
  return subject === null ? "the workspace" : `@${subject}`;
}

function shownTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `longtail connections`: one aligned line a credential, never the secret. */
export function formatConnections(slug: string, statuses: CredentialStatus[]): string {
  if (statuses.length === 0) {
    return `Workspace "${slug}" has no platform connected: \`longtail connect youtube|instagram|tiktok --workspace ${slug} …\` connects one.`;
  }
  const rows = [
    ["platform", "for", "account", "set", "state"],
    ...statuses.map((status) => [
      PLATFORM_NAMES[status.platform],
      subjectLabel(status.subject),
      status.accountId ?? "",
      shownTime(status.setAt),
      status.status === "ok"
        ? "ok"
        : `refused since ${shownTime(status.problemAt ?? status.setAt)}: ${status.problem}`,
    ]),
  ];
  const lines = aligned(rows);
  const refused = statuses.filter((status) => status.status === "problem");
  const fixes = refused.map(
    (status) =>
      `To replace ${PLATFORM_NAMES[status.platform]} for ${subjectLabel(status.subject)}: ${connectCommand(status.platform, slug, status.subject)}`,
  );
  return [...lines, ...(fixes.length ? ["", ...fixes] : [])].join("\n");
}
