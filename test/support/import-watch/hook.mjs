// A module-resolution hook that records every import of the packages WATCH_PACKAGES names
// (comma-separated; a package's subpaths count) in the file WATCH_FILE names
// (test/ops/lazy-load.test.ts: the offline bot must not load ccxt, nor the chart engine before
// a chart is drawn). An import counts by its specifier and by where it resolves to: ccxt's
// exchange modules are imported by file URL (src/market/ccxt/client.ts), not by name.
import { appendFileSync } from "node:fs";

const packages = (process.env.WATCH_PACKAGES ?? "").split(",").filter(Boolean);

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const named = packages.find((p) => specifier === p || specifier.startsWith(`${p}/`));
  const located = packages.find((p) => resolved.url.includes(`/node_modules/${p}/`));
  if (named) appendFileSync(process.env.WATCH_FILE, `${specifier}\n`);
  else if (located) appendFileSync(process.env.WATCH_FILE, `${located}\n`);
  return resolved;
}
