// Watches the imports of the packages WATCH_PACKAGES names (see hook.mjs): ES module imports
// through a resolution hook, CommonJS requires by
// wrapping the CommonJS loader.
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";

register("./hook.mjs", import.meta.url);

const packages = (process.env.WATCH_PACKAGES ?? "").split(",").filter(Boolean);
const load = Module._load;
Module._load = function (request, ...rest) {
  if (packages.some((p) => request === p || request.startsWith(`${p}/`)))
    appendFileSync(process.env.WATCH_FILE, `${request}\n`);
  return load.call(this, request, ...rest);
};
