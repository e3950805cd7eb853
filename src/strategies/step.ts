// A StrategyInput read as a StrategyStep: how onCandle runs a kind's evaluator on the window it
// is handed (the live runtime, once per closed candle). Every field is read from the input when
// the evaluator reads it, so a lazily computed equity stays lazy.
import type { FloatSeries } from "../domain/indicators/float-series.ts";
import type { Decimal } from "../lib/decimal.ts";
import type { Candle, Interval } from "../market/types.ts";
import type { StrategyInput, StrategyPosition, StrategyStep } from "./types.ts";

export class InputStep<P> implements StrategyStep<P> {
  readonly closeFloat?: (i: number) => number;
  readonly floatSeries?: () => FloatSeries;
  constructor(private readonly input: StrategyInput<P, unknown>) {
    if (input.closeFloat) this.closeFloat = (i) => input.closeFloat!(i);
    if (input.floatSeries) this.floatSeries = () => input.floatSeries!();
  }
  get symbol(): string {
    return this.input.symbol;
  }
  get timeframe(): Interval {
    return this.input.timeframe;
  }
  get position(): StrategyPosition {
    return this.input.position;
  }
  get cash(): Decimal {
    return this.input.cash;
  }
  get equity(): Decimal {
    return this.input.equity;
  }
  get timeZone(): string {
    return this.input.timeZone;
  }
  get params(): P {
    return this.input.params;
  }
  get candleCount(): number {
    return this.input.candles.length;
  }
  candleAt(i: number): Candle {
    return this.input.candles[i]!;
  }
}
