import { describe, expect, it } from "vitest";
import { open, SealedTextError, seal } from "../../src/store/seal.ts";

const KEY = Buffer.alloc(32, 3);

describe("installation sealing (AES-256-GCM)", () => {
  it("opens what it sealed, and the sealed text does not contain the plaintext", () => {
    const sealed = seal(KEY, '{"bot":{"token":"xoxb-secret"}}', "T:T1");
    expect(sealed).not.toContain("xoxb");
    expect(open(KEY, sealed, "T:T1")).toBe('{"bot":{"token":"xoxb-secret"}}');
    expect(seal(KEY, "same", "T:T1")).not.toBe(seal(KEY, "same", "T:T1"));
  });

  it("refuses another key, another team's row, and tampering", () => {
    const sealed = seal(KEY, "installation", "T:T1");
    expect(() => open(Buffer.alloc(32, 4), sealed, "T:T1")).toThrow(SealedTextError);
    expect(() => open(KEY, sealed, "T:T2")).toThrow(SealedTextError);
    const bytes = Buffer.from(sealed.slice(3), "base64");
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => open(KEY, `v1.${bytes.toString("base64")}`, "T:T1")).toThrow(SealedTextError);
  });
});
