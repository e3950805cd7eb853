// B8's measurement process: one variant (floor or backtest) over freshly generated candles,
// printed as one JSON line, so the peak RSS is this run's own.
//   node --import tsx scripts/bench/backtest-child.ts <floor|backtest> <candles>
import { B8_VARIANTS, type B8Variant, measureVariant } from "./b8-backtest.ts";

const [variant, count] = process.argv.slice(2);
if (!B8_VARIANTS.includes(variant as B8Variant) || !Number(count)) {
  console.error(`usage: backtest-child.ts <${B8_VARIANTS.join("|")}> <candles>`);
  process.exit(2);
}
console.log(JSON.stringify(measureVariant(variant as B8Variant, Number(count))));
