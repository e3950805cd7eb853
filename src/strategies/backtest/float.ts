// The backtester's Decimal → float reader lives in src/lib (strategy kinds use it too).
export { toFloat } from "../../lib/decimal-float.ts";
