import fc from "fast-check";
import { expect } from "vitest";

/** Fixed, so CI runs the same cases every time; FUZZ_SEED=<n> explores others by hand. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);

/** Raw bytes: the valid body with bytes flipped, cut short, or invalid UTF-8 / NUL inserted. */
export function mutatedBytes(valid: string): fc.Arbitrary<Buffer> {
  return fc
    .tuple(
      fc.nat(),
      fc.constantFrom("flip", "truncate", "invalidUtf8", "nul"),
      fc.integer({ min: 1, max: 255 }),
    )
    .map(([at, how, mask]) => {
      const bytes = Buffer.from(valid);
      const index = at % (bytes.length + 1);
      if (how === "truncate") return bytes.subarray(0, index);
      if (how === "flip") {
        const copy = Buffer.from(bytes);
        copy[index % copy.length] = (copy[index % copy.length] as number) ^ mask;
        return copy;
      }
      const insert = how === "nul" ? Buffer.from([0]) : Buffer.from([0xff, 0xc3, 0x28]);
      return Buffer.concat([bytes.subarray(0, index), insert, bytes.subarray(index)]);
    });
}

/**
 * A fuzzer of one server's endpoints: each property makes `runs` requests from its arbitrary, and
 * every answer has a status from the property's allowed set and passes `expectClean` (no stack
 * trace, SQL or secret).
 */
export function endpointFuzzer<A extends { status: number }>(runs: number, expectClean: (answer: A) => void) {
  return async <T>(
    arbitrary: fc.Arbitrary<T>,
    request: (input: T) => Promise<A>,
    allowed: readonly number[],
  ): Promise<void> => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        const answer = await request(input);
        expect(allowed).toContain(answer.status);
        expectClean(answer);
      }),
      { numRuns: runs, seed: FUZZ_SEED },
    );
  };
}
