// A module-resolution hook that records every import of ccxt in the file CCXT_WATCH_FILE names
// (test/brokers/ccxt/lazy-load.test.ts: the offline bot must not load ccxt).
import { appendFileSync } from "node:fs";

export async function resolve(specifier, context, next) {
  if (specifier === "ccxt" || specifier.startsWith("ccxt/"))
    appendFileSync(process.env.CCXT_WATCH_FILE, `${specifier}\n`);
  return next(specifier, context);
}
