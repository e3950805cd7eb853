// A module-resolution hook that records every import of the packages WATCH_PACKAGES names
// (comma-separated; a package's subpaths count) in the file WATCH_FILE names
// (test/ops/lazy-load.test.ts: the offline bot must not load ccxt, nor the chart engine before
// a chart is drawn).
import { appendFileSync } from "node:fs";

const packages = (process.env.WATCH_PACKAGES ?? "").split(",").filter(Boolean);

export async function resolve(specifier, context, next) {
  if (packages.some((p) => specifier === p || specifier.startsWith(`${p}/`)))
    appendFileSync(process.env.WATCH_FILE, `${specifier}\n`);
  return next(specifier, context);
}
