// The bot built as `npm start` builds it (scripts/build.ts) into a folder of its own inside the
// project (tests run in parallel; dist/ is the operator's), and the command that runs it as
// `npm start` does: plain Node with the start script's flags.
import fs from "node:fs";
import path from "node:path";
import { buildApp, startNodeFlags } from "../../scripts/build.ts";
import { PROJECT_ROOT } from "../../src/lib/paths.ts";

export interface BuiltApp {
  /** node's arguments that start the bot: the start flags and the bundle's entry */
  args: string[];
  remove(): void;
}

export async function buildAppForTest(): Promise<BuiltApp> {
  const root = path.join(PROJECT_ROOT, ".vitest-tmp");
  fs.mkdirSync(root, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(root, "build-"));
  await buildApp(outdir);
  return {
    args: [...startNodeFlags(), path.join(outdir, "main.js")],
    remove: () => fs.rmSync(outdir, { recursive: true, force: true }),
  };
}
