// Level 1 of the price model: one log-price anchor per UTC day (the price at 00:00), plus the
// day's volatility, jump, high, low and volume. Everything below (hours, minutes, seconds) is
// bridged between two consecutive anchors and fitted to the day's high and low, so a daily
// candle never needs the finer levels.
//
// The anchors follow a discrete Ornstein–Uhlenbeck process in log space around the reference
// price: x[d+1] = φ·x[d] + ε[d], φ = exp(−1/60). Over days and weeks that is a random walk with
// the instrument's daily volatility; over months it is pulled back towards the reference, so
// years of history stay in a realistic band (stationary spread ≈ 5.5 daily sigmas). The daily
// shock ε has a diffusion part scaled by a slowly varying volatility regime (volatility
// clusters, as in real markets) and, on about 3 % of days, a jump three daily sigmas wide.
//
// Random access: a recursion needs its past, so days are grouped in fixed blocks of 256, and each
// block runs the recursion from 720 days before its first day, starting at the reference. After
// 720 days the starting point has decayed by e^−12, so every block agrees with an infinitely
// long history to about a millionth of the price, and since block boundaries are fixed, each
// day's anchor is always computed the same way: the same bits in any process, whatever was
// asked before.
import { gaussian, hash4, streamKey, unit } from "./counter-rng.ts";
import { type InstrumentModel } from "./instrument-model.ts";
import { LruCache } from "./lru-cache.ts";

const PHI = Math.exp(-1 / 60);
const VOL_PHI = Math.exp(-1 / 15);
const VOL_INNOVATION = Math.sqrt(1 - VOL_PHI * VOL_PHI);
/** volatility of the log volatility regime; m = exp(s·y − s²) keeps E[m²] = 1 */
const VOL_OF_VOL = 0.25;
const JUMP_PROBABILITY = 0.03;
/** jump standard deviation in daily sigmas */
const JUMP_SCALE = 3;
/** the diffusion keeps the rest of the daily variance, so jumps do not inflate the total */
const DIFFUSION_SD = Math.sqrt(1 - JUMP_PROBABILITY * JUMP_SCALE * JUMP_SCALE);

const BLOCK_DAYS = 256;
const WARMUP_DAYS = 720;
const STREAM_DAYS = 1;

export interface DayJump {
  /** log-price step */
  size: number;
  /** UTC hour and minute of the hour where it happens */
  hour: number;
  minute: number;
}

export interface DayState {
  /** log price relative to the reference at 00:00 UTC */
  open: number;
  /** at 24:00 UTC, the next day's open */
  close: number;
  /** extremes of the day, drawn like a Brownian bridge's between open and close */
  high: number;
  low: number;
  /** diffusion variance of the whole day (log units squared), jump excluded */
  variance: number;
  jump: DayJump | null;
  /** traded volume of the day in lots */
  lots: number;
}

// counters of the day-level draws
const Z1 = 0;
const Z2 = 1;
const VOL1 = 2;
const VOL2 = 3;
const JUMP_U = 4;
const JUMP1 = 5;
const JUMP2 = 6;
const JUMP_HOUR = 7;
const JUMP_MINUTE = 8;
const VOLUME1 = 9;
const VOLUME2 = 10;
const HIGH = 11;
const LOW = 12;

function volMultiplier(y: number): number {
  return Math.exp(VOL_OF_VOL * y - VOL_OF_VOL * VOL_OF_VOL);
}

function jumpSize(key: number, day: number, sigmaDay: number, m: number): number {
  if (unit(hash4(key, day, JUMP_U)) >= JUMP_PROBABILITY) return 0;
  return JUMP_SCALE * sigmaDay * m * gaussian(hash4(key, day, JUMP1), hash4(key, day, JUMP2));
}

export class DailyAnchors {
  /** per (instrument, block): the block's anchors x followed by its volatility regimes y */
  private readonly blocks: LruCache<Float64Array>;

  constructor(blockCapacity: number) {
    this.blocks = new LruCache(blockCapacity);
  }

  private block(model: InstrumentModel, index: number): Float64Array {
    let block = this.blocks.get(model.ordinal, index);
    if (block === undefined) {
      block = computeBlock(model, index);
      this.blocks.set(model.ordinal, index, block);
    }
    return block;
  }

  /** log price relative to the reference at 00:00 UTC of `day` (days since the Unix epoch) */
  anchor(model: InstrumentModel, day: number): number {
    const index = Math.floor(day / BLOCK_DAYS);
    return this.block(model, index)[day - index * BLOCK_DAYS]!;
  }

  day(model: InstrumentModel, day: number): DayState {
    const index = Math.floor(day / BLOCK_DAYS);
    const data = this.block(model, index);
    const offset = day - index * BLOCK_DAYS;
    const open = data[offset]!;
    const m = volMultiplier(data[BLOCK_DAYS + offset]!);
    const close = this.anchor(model, day + 1);
    const key = streamKey(model.key, STREAM_DAYS);
    const size = jumpSize(key, day, model.sigmaDay, m);
    const jump =
      size === 0
        ? null
        : {
            size,
            hour: pickHour(model.profile.variance, unit(hash4(key, day, JUMP_HOUR))),
            minute: hash4(key, day, JUMP_MINUTE) % 60,
          };
    const diffusionSd = model.sigmaDay * m * DIFFUSION_SD;
    // busier on volatile days and on days that move
    const moveRatio = diffusionSd > 0 ? Math.abs(close - open) / (model.sigmaDay * m) : 1;
    const noise = Math.exp(
      0.3 * gaussian(hash4(key, day, VOLUME1), hash4(key, day, VOLUME2)) - 0.045,
    );
    const lots = Math.round(model.dayLots * m * noise * (0.75 + 0.25 * Math.min(moveRatio, 6)));
    const variance = diffusionSd * diffusionSd;
    const d = close - open;
    const up =
      (open + close + Math.sqrt(d * d - 2 * variance * Math.log(unit(hash4(key, day, HIGH))))) / 2;
    const down =
      (open + close - Math.sqrt(d * d - 2 * variance * Math.log(unit(hash4(key, day, LOW))))) / 2;
    return {
      open,
      close,
      high: Math.max(up, open, close),
      low: Math.min(down, open, close),
      variance,
      jump,
      lots,
    };
  }
}

/** The hour a uniform draw falls in when hours are weighted by their variance share. */
function pickHour(weights: Float64Array, u: number): number {
  let cumulative = 0;
  for (let h = 0; h < weights.length; h++) {
    cumulative += weights[h]!;
    if (u < cumulative) return h;
  }
  return weights.length - 1;
}

function computeBlock(model: InstrumentModel, index: number): Float64Array {
  const key = streamKey(model.key, STREAM_DAYS);
  const first = index * BLOCK_DAYS;
  const out = new Float64Array(2 * BLOCK_DAYS);
  let x = 0;
  let y = 0;
  for (let day = first - WARMUP_DAYS; day < first + BLOCK_DAYS; day++) {
    if (day >= first) {
      out[day - first] = x;
      out[BLOCK_DAYS + day - first] = y;
    }
    const m = volMultiplier(y);
    const diffusion =
      model.sigmaDay * m * DIFFUSION_SD * gaussian(hash4(key, day, Z1), hash4(key, day, Z2));
    x = PHI * x + diffusion + jumpSize(key, day, model.sigmaDay, m);
    y = VOL_PHI * y + VOL_INNOVATION * gaussian(hash4(key, day, VOL1), hash4(key, day, VOL2));
  }
  return out;
}
