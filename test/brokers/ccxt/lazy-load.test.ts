// ccxt is loaded only when a live source is configured: importing the whole app (every module the
// bot starts with) in a fresh process resolves no ccxt module; creating an exchange client does.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "ccxt-watch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function importsOf(script: string, name: string): string[] {
  const file = join(dir, name);
  execFileSync(
    process.execPath,
    ["--import", "./test/support/ccxt-watch/register.mjs", "--import", "tsx", "-e", script],
    { env: { ...process.env, CCXT_WATCH_FILE: file }, stdio: "pipe", timeout: 60_000 },
  );
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}

describe("ccxt is imported lazily", () => {
  it("the app's modules load without it", () => {
    expect(importsOf("await import('./src/app.ts')", "app")).toEqual([]);
  }, 90_000);

  it("a live client loads it (the watch sees imports)", () => {
    const script =
      "const { createExchange } = await import('./src/market/ccxt/client.ts');" +
      "await createExchange({ id: 'binance', apiUrl: 'http://127.0.0.1:9' });";
    expect(importsOf(script, "client")).toContain("ccxt");
  }, 90_000);
});
