// Counter-based randomness: every random number is a pure hash of (stream key, counters), so any
// minute of any day can be drawn without drawing the ones before it, in any order, in any
// process. The mixer is Chris Wellons' "lowbias32" (a 32-bit integer hash with near-ideal
// avalanche), applied once per input word.

const TWO_POW_32 = 4294967296;
const TWO_PI = 2 * Math.PI;

/** lowbias32: a bijective 32-bit mix with strong avalanche. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** 32-bit hash of a text (FNV-1a over UTF-16 code units, then mixed). */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Hash of a key and up to three integer counters (negative counters are fine). */
export function hash4(key: number, a: number, b = 0, c = 0): number {
  let h = mix32(key ^ Math.imul(a | 0, 0x9e3779b9));
  h = mix32(h ^ Math.imul(b | 0, 0x85ebca6b));
  return mix32(h ^ Math.imul(c | 0, 0xc2b2ae35) ^ 0x27d4eb2f);
}

/** Uniform in the open interval (0, 1) from a 32-bit hash. */
export function unit(hash: number): number {
  return (hash + 0.5) / TWO_POW_32;
}

/** Standard normal from two independent 32-bit hashes (Box–Muller, cosine branch). */
export function gaussian(h1: number, h2: number): number {
  return Math.sqrt(-2 * Math.log(unit(h1))) * Math.cos(TWO_PI * unit(h2));
}

/** A derived key for one named stream (a level of the price model, a quantity, ...). */
export function streamKey(key: number, stream: number): number {
  return mix32(key ^ Math.imul(stream + 1, 0x632be5ab));
}
