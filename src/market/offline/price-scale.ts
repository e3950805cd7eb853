// From the model's log space to prices on the tick grid.
//
// A soft bound keeps every price within (reference / 4.5, reference × 4.5) whatever the random
// draws: log deviations up to ln 2.5 pass unchanged (nearly all of the time for every catalog
// instrument), larger ones are squeezed smoothly by tanh. The map is monotone, and so is rounding
// to the nearest tick, so a maximum in log space is still the maximum in price.
import { type InstrumentModel } from "./instrument-model.ts";

const KNEE = Math.log(2.5);
const LIMIT = Math.log(4.5);
const ROOM = LIMIT - KNEE;

export function softBound(x: number): number {
  const size = Math.abs(x);
  if (size <= KNEE) return x;
  const squeezed = KNEE + ROOM * Math.tanh((size - KNEE) / ROOM);
  return x < 0 ? -squeezed : squeezed;
}

/** The price for log deviation `x`, in whole ticks (at least one tick). */
export function priceTicks(model: InstrumentModel, x: number): number {
  return Math.max(1, Math.round(model.refTicks * Math.exp(softBound(x))));
}
