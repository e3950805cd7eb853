// The layer rule is enforced by ESLint (eslint.config.js, no-restricted-imports per layer): each
// case lints one import as if it were written in a file of that layer and expects the verdict.
import path from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/lib/paths.ts";

// the probe files do not exist, so type-aware parsing (which needs them in the TS project) is off;
// the import rule needs no types
const eslint = new ESLint({
  cwd: PROJECT_ROOT,
  overrideConfig: tseslint.configs.disableTypeChecked,
});

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\nexport const used = x;\n`, {
    filePath: path.join(PROJECT_ROOT, file),
  });
  const messages = result?.messages ?? [];
  // a parsing error would make every "allowed" case pass vacuously
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.some((m) => m.ruleId === "no-restricted-imports");
}

describe("layer zones", () => {
  it.each([
    ["src/bot/features/x.ts", 'import { x } from "../../db/client.ts";'],
    ["src/bot/x.ts", 'import { x } from "../db/generated/sqlite/client.ts";'],
    ["src/bot/x.ts", 'import { x } from "@prisma/client";'],
    ["src/domain/orders/x.ts", 'import { x } from "grammy";'],
    ["src/domain/orders/x.ts", 'import { x } from "../../bot/notifier.ts";'],
    ["src/domain/orders/x.ts", 'import { x } from "../../jobs/scheduler.ts";'],
    ["src/brokers/x.ts", 'import { x } from "../domain/errors.ts";'],
    ["src/market/ccxt/x.ts", 'import { x } from "../../domain/errors.ts";'],
    ["src/strategies/kinds/x.ts", 'import { x } from "../../db/client.ts";'],
    ["src/strategies/kinds/x.ts", 'import { x } from "../../brokers/types.ts";'],
    ["src/lib/x.ts", 'import { x } from "../domain/errors.ts";'],
    ["src/lib/secrets/x.ts", 'import { x } from "../../config.ts";'],
    // nothing below the composition root (src/app.ts, src/wiring) imports it
    ["src/domain/orders/x.ts", 'import { x } from "../../wiring/sources.ts";'],
    ["src/bot/features/x.ts", 'import { x } from "../../app.ts";'],
    ["src/jobs/x.ts", 'import { x } from "../wiring/jobs.ts";'],
    ["src/jobs/outbox/x.ts", 'import { x } from "../../app.ts";'],
    ["src/brokers/x.ts", 'import { x } from "../wiring/sources.ts";'],
    ["src/market/x.ts", 'import { x } from "../app.ts";'],
    ["src/lib/x.ts", 'import { x } from "../wiring/ops.ts";'],
    ["src/db/x.ts", 'import { x } from "../app.ts";'],
    ["src/strategies/kinds/x.ts", 'import { x } from "../../wiring/jobs.ts";'],
  ])("refuses in %s: %s", async (file, source) => {
    expect(await restricted(file, source)).toBe(true);
  });

  it.each([
    ["src/bot/features/x.ts", 'import { x } from "../../domain/types.ts";'],
    ["src/domain/orders/x.ts", 'import { x } from "../../db/client.ts";'],
    ["src/brokers/x.ts", 'import { x } from "../lib/errors.ts";'],
    ["src/lib/secrets/x.ts", 'import { x } from "../decimal.ts";'],
    ["src/jobs/x.ts", 'import { x } from "../domain/services.ts";'],
    ["src/wiring/x.ts", 'import { x } from "../db/client.ts";'],
    ["src/wiring/x.ts", 'import { x } from "../bot/bot.ts";'],
    ["src/app.ts", 'import { x } from "./wiring/jobs.ts";'],
    // the new zone for jobs keeps its other imports
    ["src/jobs/x.ts", 'import { x } from "../db/client.ts";'],
  ])("allows in %s: %s", async (file, source) => {
    expect(await restricted(file, source)).toBe(false);
  });
});

describe("the bot never reaches into the services' database handle", () => {
  async function flagged(file: string, source: string): Promise<boolean> {
    const [result] = await eslint.lintText(source, { filePath: path.join(PROJECT_ROOT, file) });
    const messages = result?.messages ?? [];
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    return messages.some((m) => m.ruleId === "no-restricted-syntax");
  }

  it.each([
    "export const f = (services: { ctx: { db: unknown } }) => services.ctx.db;",
    "export const f = (c: { deps: { services: { ctx: unknown } } }) => c.deps.services.ctx;",
  ])("refuses in src/bot: %s", async (source) => {
    expect(await flagged("src/bot/features/x.ts", source)).toBe(true);
  });

  it("allows it in the composition root and in jobs", async () => {
    const source = "export const f = (services: { ctx: { db: unknown } }) => services.ctx.db;";
    expect(await flagged("src/app.ts", source)).toBe(false);
    expect(await flagged("src/jobs/x.ts", source)).toBe(false);
    expect(
      await flagged("src/bot/features/x.ts", "export const f = (s: { clock: 1 }) => s.clock;"),
    ).toBe(false);
  });
});
