// npm run build — the bot compiled for running: src/main.ts and the backtest worker's entry
// bundled by esbuild into dist/ (the project's own modules in one ES module each, split chunks
// for what the app imports lazily; packages stay in node_modules). `npm start` and the Docker
// image run the bundle in plain Node: no TypeScript loader hooking every module at run time,
// which costs the long-running process about 45 MB of RSS (B7, measured on this machine).
// Type checking is `npm run typecheck`'s job; esbuild only strips the types.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { PROJECT_ROOT } from "../src/lib/paths.ts";

/** The bundle's entry points: name in dist/ → source. */
export const ENTRY_POINTS = {
  main: "src/main.ts",
  // a worker thread needs a file of its own (src/strategies/backtest/worker-pool.ts)
  "backtest-worker": "src/strategies/backtest/backtest-worker.ts",
};

/**
 * Bundles `entryPoints` (default: the bot's) into `outdir` (default: dist/ of the project). The
 * folder must lie inside the project: the bundle finds node_modules and the project's files
 * (locales, prisma) by walking up from itself.
 */
export async function buildApp(
  outdir = path.join(PROJECT_ROOT, "dist"),
  entryPoints: Record<string, string> = ENTRY_POINTS,
): Promise<void> {
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints,
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // packages load from node_modules as they do under tsx: native addons, Prisma's runtime
    // and ccxt's per-exchange modules (src/market/ccxt/client.ts) need their own files
    packages: "external",
    // lazy imports (PostgreSQL's client, charts, ccxt's market code) stay lazy: own chunks
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    sourcemap: true,
    logLevel: "warning",
    write: false,
  });
  // each file written whole and then renamed into place: a second instance started from the same
  // folder at the same moment (npm start builds first) never imports a half-written module
  for (const file of result.outputFiles) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.contents);
    fs.renameSync(temporary, file.path);
  }
}

/**
 * The Node flags `npm start` runs the bundle with (package.json's "start" script, the one place
 * they are written), so the runtime test and B7 run it exactly as an operator does.
 */
export function startNodeFlags(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const start = manifest.scripts.start ?? "";
  const m = /\bexec node((?: --[\w-]+(?:=\S+)?)*) dist\/main\.js$/.exec(start);
  if (!m)
    throw new Error(`package.json's start script is not "... exec node [flags] dist/main.js"`);
  return m[1]!.split(" ").filter(Boolean);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const outdir = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
  await buildApp(outdir);
}
