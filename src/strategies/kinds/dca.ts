// Dollar-cost averaging: buy a fixed quote amount on a cron schedule in the owner's time zone
// ("0 9 * * 1" = Mondays 09:00 local, daylight saving included). Strategies see closed candles,
// not the clock, so a firing counts for the candle whose close is the first at or after it: a
// firing between the previous candle's close and this one's buys once, however many firings that
// window holds. Optionally, when the close is dipPct % or more below a reference (a fixed price,
// else the average entry of what it holds), it buys dipMultiplier times the amount.
//
// Stored parameters: { kind: "dca", cron: "0 9 * * 1", quote: "100", timeframe: "1h",
//   dipPct?: "5", dipMultiplier?: "2", reference?: "60000" }
import { Cron } from "croner";
import { z } from "zod";
import { Decimal } from "../../lib/decimal.ts";
import { checkCron } from "../../domain/schedules/cron-schedule.ts";
import { ValidationError } from "../../domain/errors.ts";
import type { StrategyDefinition } from "../types.ts";
import { decimalField, intervalField, kindTag } from "./fields.ts";
import { percentField, quoteField } from "./ma-cross.ts";

/** The frequency check of a cron needs a starting point; any fixed date keeps validation pure. */
const CRON_CHECK_FROM = new Date(Date.UTC(2026, 0, 1));

const cronField = () =>
  z.string().transform((text, ctx) => {
    try {
      return checkCron(text, "UTC", CRON_CHECK_FROM);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      ctx.addIssue({ code: "custom", message: e.key, params: { key: e.key, ...e.params } });
      return z.NEVER;
    }
  });

export const dcaParams = z
  .strictObject({
    kind: kindTag("dca"),
    cron: cronField(),
    quote: quoteField(),
    timeframe: intervalField("1h"),
    dipPct: percentField().optional(),
    dipMultiplier: decimalField({
      min: new Decimal(1),
      above: true,
      max: new Decimal(10),
    }).optional(),
    reference: decimalField({
      min: new Decimal(0),
      above: true,
      max: new Decimal("1e9"),
    }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.dipMultiplier && !p.dipPct)
      ctx.addIssue({
        code: "custom",
        path: ["dipPct"],
        message: "multiplier without a dip",
        params: { key: "error-strategy-dca-dip-missing" },
      });
  });

export type DcaParams = z.output<typeof dcaParams>;

export interface DcaState {
  /** scheduled buys made, and how many of them were dip buys */
  buys: number;
  dipBuys: number;
  /** the last firing bought for (ISO time), so a candle evaluated twice never buys twice */
  lastFire: string | null;
}

export const DEFAULT_DIP_MULTIPLIER = new Decimal(2);

/** When a candle closes: its closeTime is its last millisecond. */
const closeMoment = (closeTime: Date): number => closeTime.getTime() + 1;

export const dca: StrategyDefinition<DcaParams, DcaState> = {
  kind: "dca",
  params: dcaParams,
  timeframe: (p) => p.timeframe,
  // the previous candle tells where this candle's window starts
  lookback: () => 2,
  initialState: () => ({ buys: 0, dipBuys: 0, lastFire: null }),

  onCandle({ candles, position, params, state, timeZone }) {
    const last = candles.at(-1);
    if (!last) return { intents: [], state };
    const previous = candles.at(-2);
    const windowStart = previous ? closeMoment(previous.closeTime) : last.openTime.getTime();
    const cron = new Cron(params.cron, { timezone: timeZone, mode: "5-part", paused: true });
    // croner's nextRun is strictly after its argument: a firing exactly at the previous close
    // belonged to the previous candle
    const firing = cron.nextRun(new Date(windowStart));
    if (!firing || firing.getTime() > closeMoment(last.closeTime)) return { intents: [], state };
    if (state.lastFire !== null && Date.parse(state.lastFire) >= firing.getTime())
      return { intents: [], state };

    const reference =
      params.reference ?? (position.quantity.gt(0) ? position.averagePrice : null) ?? null;
    const dip =
      params.dipPct !== undefined &&
      reference !== null &&
      last.close.lte(reference.mul(new Decimal(100).sub(params.dipPct)).div(100));
    const amount = dip
      ? params.quote.mul(params.dipMultiplier ?? DEFAULT_DIP_MULTIPLIER)
      : params.quote;
    return {
      intents: [
        {
          id: "dca",
          action: "buy",
          size: { kind: "quote", value: amount },
          orderType: "MARKET",
          reason: "dca",
        },
      ],
      state: {
        buys: state.buys + 1,
        dipBuys: state.dipBuys + (dip ? 1 : 0),
        lastFire: firing.toISOString(),
      },
    };
  },
};
