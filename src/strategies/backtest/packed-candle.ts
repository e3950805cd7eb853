// A candle read from the integer columns a job brought to its worker thread (worker-protocol.ts),
// its Decimals made on first read. A year of one-minute candles is 2.6 million values; made all
// at once they took the worker 4–5 s, mostly the garbage collector tracing a heap that grew by
// 600 MB, before the backtest itself (0.3 s) could start. The engine reads every close and every
// open time but other values only where an order fills or a strategy looks, so most are never
// made. The values are the same Decimals their text gives (decimalOfScaled), the open the very
// object of the previous close when they are equal, as unpacking shares them.
import type { Decimal } from "../../lib/decimal.ts";
import { decimalOfScaled } from "../../lib/decimal-scaled.ts";
import type { Candle } from "../../market/types.ts";

/** The columns the candles are read from. */
export interface ScaledColumns {
  /** open times in ms */
  times: Float64Array;
  /** open, high, low, close, volume of each candle in turn, as integers */
  scaled: Float64Array;
  /** prices are scaled by 10^priceScale, volumes by 10^volumeScale */
  priceScale: number;
  volumeScale: number;
  /** the interval in ms */
  step: number;
}

const OPEN = 0;
const HIGH = 1;
const LOW = 2;
const CLOSE = 3;
const VOLUME = 4;

export class PackedCandle implements Candle {
  private readonly values: (Decimal | undefined)[] = [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ];

  constructor(
    private readonly columns: ScaledColumns,
    private readonly at: number,
    private readonly previous: PackedCandle | null,
  ) {}

  /**
   * A new Date on each read (a field would hand out the same one): nothing the engine or a
   * strategy does changes a candle's dates, and most are read once.
   */
  get openTime(): Date {
    return new Date(this.columns.times[this.at]!);
  }

  get closeTime(): Date {
    return new Date(this.columns.times[this.at]! + this.columns.step - 1);
  }

  get open(): Decimal {
    const kept = this.values[OPEN];
    if (kept) return kept;
    const c = this.columns;
    const j = this.at * 5;
    // the previous candle's close is 2 places before this open
    const open =
      this.previous && c.scaled[j] === c.scaled[j - 2] ? this.previous.close : this.make(OPEN);
    this.values[OPEN] = open;
    return open;
  }

  get high(): Decimal {
    return this.values[HIGH] ?? this.make(HIGH);
  }

  get low(): Decimal {
    return this.values[LOW] ?? this.make(LOW);
  }

  get close(): Decimal {
    return this.values[CLOSE] ?? this.make(CLOSE);
  }

  get volume(): Decimal {
    return this.values[VOLUME] ?? this.make(VOLUME);
  }

  /** Value k made from its digits, and kept. */
  private make(k: number): Decimal {
    const c = this.columns;
    const value = decimalOfScaled(
      c.scaled[this.at * 5 + k]!,
      k === VOLUME ? c.volumeScale : c.priceScale,
    );
    this.values[k] = value;
    return value;
  }
}
