import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for what must not be readable at rest (Slack installations, platform credentials).
 * The sealed text is "v1." + base64(iv ‖ tag ‖ ciphertext). `context` is bound as additional
 * data: a ciphertext copied to another row (another team) does not open there.
 */
const VERSION = "v1.";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealedTextError extends Error {
  constructor() {
    super("A stored secret could not be decrypted: was LONGTAIL_ENCRYPTION_KEY changed?");
  }
}

export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

export function open(key: Buffer, sealed: string, context: string): string {
  if (!sealed.startsWith(VERSION)) throw new SealedTextError();
  const bytes = Buffer.from(sealed.slice(VERSION.length), "base64");
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealedTextError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SealedTextError();
  }
}
