// One level of the price hierarchy: splits a bar (open, close, and at the lower levels its high,
// low and volume) into `steps` sub-bars — a day into 24 hours, an hour into 60 minutes, a minute
// into 60 seconds.
//
// Path: a Brownian bridge from open to close whose step variances follow `weights` (intraday
// seasonality), with an optional jump inside one step. Each sub-bar's high and low are drawn
// from the exact distribution of a Brownian bridge's maximum and minimum between its two
// endpoints: P(max > m) = exp(−2(m − a)(m − b)/s²). That is also the law of the parent's
// high, so the sub-bars' extremes are statistically what the parent's should be.
//
// Fit: below the top level the parent's high and low are already fixed, so the sub-path is bent
// to match them exactly: a monotone map, identity between open and close, stretches excursions
// above max(open, close) so the highest sub-high lands on the parent's high (likewise below),
// and the bar that held the extreme is set to it exactly. Monotone maps keep every sub-bar
// internally consistent (low ≤ open, close ≤ high), and rounding prices to ticks is monotone too,
// so after rounding max(sub-highs) = parent high, min(sub-lows) = parent low, first open =
// parent open, last close = parent close. Volume is split with cumulative floors, so the
// sub-volumes are whole lots summing exactly to the parent's.
//
// Every draw is a counter-based hash of (segment key, counter): the same segment comes out bit
// for bit identical however and whenever it is computed.
import { gaussian, mix32, unit } from "./counter-rng.ts";

/** Log prices at step boundaries plus per-step extremes and volume. */
export interface Bars {
  readonly steps: number;
  /** steps + 1 log prices: points[i] opens step i, points[i + 1] closes it */
  readonly points: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  /** whole lots traded in each step */
  readonly volume: Float64Array;
}

export interface SegmentSpec {
  /** counter-based random stream of this segment */
  key: number;
  steps: number;
  open: number;
  close: number;
  /** diffusion variance of the whole segment, in log units squared */
  variance: number;
  /** each step's share of the variance (summing to 1); null for equal shares */
  varianceShares: Float64Array | null;
  /** relative expected volume per step; null for equal */
  volumeProfile: Float64Array | null;
  /** whole lots to split across the steps */
  lots: number;
  /** a log-price step inside step `step`, already part of close − open */
  jump: { size: number; step: number } | null;
  /** the parent bar's high and low, which the sub-bars must reproduce */
  fit: { high: number; low: number } | null;
}

const DRAWS_PER_STEP = 6;
const GOLDEN = 0x9e3779b9;
/** log-normal spread of per-step volume around the profile */
const VOLUME_NOISE = 0.6;

function draw(key: number, counter: number): number {
  return mix32((key + Math.imul(counter + 1, GOLDEN)) | 0);
}

/** Most steps in one segment (a minute of seconds, an hour of minutes). */
export const MAX_STEPS = 60;

// scratch space reused by every call: segments are built synchronously, one at a time, and
// per-call temporaries were most of the generator's garbage
const scratchWalk = new Float64Array(MAX_STEPS + 1);
const scratchClock = new Float64Array(MAX_STEPS + 1);
const scratchWeights = new Float64Array(MAX_STEPS);

export function buildSegment(spec: SegmentSpec): Bars {
  const n = spec.steps;
  if (!(n >= 1 && n <= MAX_STEPS)) throw new RangeError(`steps must be 1..${MAX_STEPS}: ${n}`);
  const points = new Float64Array(n + 1);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const volume = new Float64Array(n);
  const shares = spec.varianceShares;
  const key = spec.key;

  // free Brownian walk with the per-step variances, and the cumulative variance share
  const walk = scratchWalk;
  const clock = scratchClock;
  walk[0] = 0;
  clock[0] = 0;
  for (let i = 0; i < n; i++) {
    const share = shares ? shares[i]! : 1 / n;
    const c = i * DRAWS_PER_STEP;
    walk[i + 1] =
      walk[i]! + Math.sqrt(share * spec.variance) * gaussian(draw(key, c), draw(key, c + 1));
    clock[i + 1] = clock[i]! + share;
  }

  // pin it to the endpoints (a bridge in variance time), the jump added after its step
  const jumpSize = spec.jump?.size ?? 0;
  const jumpStep = spec.jump?.step ?? n;
  const drift = spec.close - jumpSize - spec.open;
  const total = clock[n]!;
  const end = walk[n]!;
  points[0] = spec.open;
  for (let i = 1; i < n; i++) {
    const f = clock[i]! / total;
    points[i] = spec.open + f * drift + (walk[i]! - f * end) + (i > jumpStep ? jumpSize : 0);
  }
  points[n] = spec.close;

  // exact bridge extremes of each step
  for (let i = 0; i < n; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const d = b - a;
    const twoS2 = 2 * (shares ? shares[i]! : 1 / n) * spec.variance;
    const c = i * DRAWS_PER_STEP;
    const up = (a + b + Math.sqrt(d * d - twoS2 * Math.log(unit(draw(key, c + 2))))) / 2;
    const down = (a + b - Math.sqrt(d * d - twoS2 * Math.log(unit(draw(key, c + 3))))) / 2;
    high[i] = Math.max(up, a, b);
    low[i] = Math.min(down, a, b);
  }

  if (spec.fit) fitExtremes(points, high, low, spec.open, spec.close, spec.fit.high, spec.fit.low);

  splitVolume(spec, points, volume);
  return { steps: n, points, high, low, volume };
}

function fitExtremes(
  points: Float64Array,
  high: Float64Array,
  low: Float64Array,
  open: number,
  close: number,
  targetHigh: number,
  targetLow: number,
): void {
  const n = high.length;
  let top = 0;
  let bottom = 0;
  for (let i = 1; i < n; i++) {
    if (high[i]! > high[top]!) top = i;
    if (low[i]! < low[bottom]!) bottom = i;
  }
  const upper = Math.max(open, close);
  const lower = Math.min(open, close);
  const rawHigh = high[top]!;
  const rawLow = low[bottom]!;
  const stretchUp = rawHigh > upper ? (targetHigh - upper) / (rawHigh - upper) : 0;
  const stretchDown = rawLow < lower ? (lower - targetLow) / (lower - rawLow) : 0;
  const map = (y: number): number => {
    if (y > upper) return Math.min(targetHigh, upper + (y - upper) * stretchUp);
    if (y < lower) return Math.max(targetLow, lower - (lower - y) * stretchDown);
    return y;
  };
  for (let i = 1; i < n; i++) points[i] = map(points[i]!);
  for (let i = 0; i < n; i++) {
    high[i] = map(high[i]!);
    low[i] = map(low[i]!);
  }
  high[top] = targetHigh;
  low[bottom] = targetLow;
}

/** Splits spec.lots over the steps by profile × noise × activity, with exact whole-lot sums. */
function splitVolume(spec: SegmentSpec, points: Float64Array, volume: Float64Array): void {
  const n = spec.steps;
  const profile = spec.volumeProfile;
  const shares = spec.varianceShares;
  const weights = scratchWeights;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = i * DRAWS_PER_STEP;
    const noise = Math.exp(VOLUME_NOISE * gaussian(draw(spec.key, c + 4), draw(spec.key, c + 5)));
    // steps that move more trade more
    const sd = Math.sqrt((shares ? shares[i]! : 1 / n) * spec.variance);
    const move = sd > 0 ? Math.min(Math.abs(points[i + 1]! - points[i]!) / sd, 6) : 1;
    const w = (profile ? profile[i]! : 1) * noise * (0.6 + 0.5 * move);
    total += w;
    weights[i] = total;
  }
  let before = 0;
  for (let i = 0; i < n; i++) {
    const upTo = i === n - 1 ? spec.lots : Math.floor((spec.lots * weights[i]!) / total);
    volume[i] = upTo - before;
    before = upTo;
  }
}
