import { randomBytes } from "node:crypto";

/** A source of uniformly distributed numbers in [0, 1). */
export type Random = () => number;

/** A small deterministic PRNG (mulberry32) so seeded fault rules and ids repeat run after run. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Returns a generator of unique hex strings (`bytes` × 2 characters). With a seed the sequence repeats;
 * without one it comes from `crypto.randomBytes`.
 */
export function idGenerator(seed: number | undefined, bytes = 16): () => string {
  if (seed === undefined) return () => randomBytes(bytes).toString("hex");
  const next = seededRandom(seed);
  return () => {
    let out = "";
    for (let i = 0; i < bytes; i++)
      out += Math.floor(next() * 256)
        .toString(16)
        .padStart(2, "0");
    return out;
  };
}
