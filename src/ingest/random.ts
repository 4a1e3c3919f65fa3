/** A seeded pseudo-random source: the same seed gives the same numbers, on every machine. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  between(min: number, max: number): number;
  /** Uniform on a log scale, for quantities such as followers that span magnitudes. */
  logBetween(min: number, max: number): number;
  integerBelow(limit: number): number;
  pick<T>(items: readonly T[]): T;
  shuffled<T>(items: readonly T[]): T[];
}

/** Mixes integers into one well-spread 32-bit seed (murmur3's finaliser per part). */
export function seedOf(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    hash = Math.imul(hash ^ (part | 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

/** mulberry32: tiny, fast, and good enough for demo data. */
export function randomFrom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const random: Random = {
    next,
    between: (min, max) => min + (max - min) * next(),
    logBetween: (min, max) => Math.exp(random.between(Math.log(min), Math.log(max))),
    integerBelow: (limit) => Math.floor(next() * limit),
    pick: (items) => {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[random.integerBelow(items.length)] as (typeof items)[number];
    },
    shuffled: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = random.integerBelow(i + 1);
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    },
  };
  return random;
}
