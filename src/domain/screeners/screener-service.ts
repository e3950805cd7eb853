// Screeners: saved per user (names unique per user), run on demand by their owner or by a
// schedule. The universe is resolved from the instruments table at each run, so instruments
// added later are screened too; symbols the market data source cannot price are skipped.
import { randomUUID } from "node:crypto";
import { isUniqueViolationOn } from "../../db/errors.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import { MarketUnavailableError, type MarketData } from "../../market/types.ts";
import type { DomainContext } from "../context.ts";
import { ConflictError, NotFoundError, StateError, ValidationError } from "../errors.ts";
import type { CandleCache } from "../indicators/candle-cache.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import { plainNumber } from "../indicators/rounding.ts";
import { cleanName } from "../names.ts";
import type { ScreenerRunResult, ScreenerRunner } from "../reports/screener-runner.ts";
import { type Actor, assertApproved, toActor } from "../users/actor.ts";
import { type ScreenerConfig, type Universe, validateScreenerConfig } from "./screener-config.ts";
import { type ScreenerRun, runScreener, screenerSpecs } from "./screener-engine.ts";
import { columnLabel } from "./screener-labels.ts";

export const MAX_SCREENERS_PER_USER = 50;

export interface ScreenerView {
  id: number;
  uid: string;
  name: string;
  config: ScreenerConfig;
  createdAt: Date;
  updatedAt: Date;
}

export interface ScreenerResult extends ScreenerRun {
  /** the saved screener that ran; null for an unsaved config */
  screener: { id: number; name: string } | null;
  config: ScreenerConfig;
}

export interface ScreenerServiceDeps {
  instruments: InstrumentService;
  market: MarketData;
  candles: CandleCache;
}

type ScreenerRow = Prisma.ScreenerGetPayload<object>;

export class ScreenerService implements ScreenerRunner {
  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: ScreenerServiceDeps,
  ) {}

  async create(actor: Actor, input: { name: string; config: unknown }): Promise<ScreenerView> {
    assertApproved(actor);
    const name = cleanName("name", input.name);
    const config = await this.checkedConfig(input.config);
    await this.assertNameFree(actor, name);
    const count = await this.ctx.db.screener.count({ where: { userId: actor.id } });
    if (count >= MAX_SCREENERS_PER_USER) {
      throw new StateError("error-screener-limit-reached", { max: MAX_SCREENERS_PER_USER });
    }
    try {
      const row = await this.ctx.db.screener.create({
        data: {
          uid: randomUUID(),
          userId: actor.id,
          name,
          config: config as unknown as Prisma.InputJsonObject,
          createdAt: this.ctx.clock.now(),
        },
      });
      return toView(row);
    } catch (e) {
      if (isUniqueViolationOn(e, "name")) throw nameTaken(name);
      throw e;
    }
  }

  async update(
    actor: Actor,
    screenerId: number,
    input: { name?: string; config?: unknown },
  ): Promise<ScreenerView> {
    const row = await this.owned(actor, screenerId);
    const data: Prisma.ScreenerUpdateInput = {};
    if (input.name !== undefined) {
      const name = cleanName("name", input.name);
      if (name.toLowerCase() !== row.name.toLowerCase()) await this.assertNameFree(actor, name);
      data.name = name;
    }
    if (input.config !== undefined) {
      data.config = (await this.checkedConfig(input.config)) as unknown as Prisma.InputJsonObject;
    }
    try {
      return toView(await this.ctx.db.screener.update({ where: { id: row.id }, data }));
    } catch (e) {
      if (isUniqueViolationOn(e, "name")) throw nameTaken(String(data.name));
      throw e;
    }
  }

  async delete(actor: Actor, screenerId: number): Promise<void> {
    const row = await this.owned(actor, screenerId);
    await this.ctx.db.screener.delete({ where: { id: row.id } });
  }

  async list(actor: Actor): Promise<ScreenerView[]> {
    assertApproved(actor);
    const rows = await this.ctx.db.screener.findMany({
      where: { userId: actor.id },
      orderBy: { name: "asc" },
    });
    return rows.map(toView);
  }

  async get(actor: Actor, screenerId: number): Promise<ScreenerView> {
    return toView(await this.owned(actor, screenerId));
  }

  /** By name, compared case-insensitively the same way on SQLite and PostgreSQL. */
  async findByName(actor: Actor, name: string): Promise<ScreenerView> {
    assertApproved(actor);
    const wanted = name.trim().toLowerCase();
    const rows = await this.ctx.db.screener.findMany({ where: { userId: actor.id } });
    const row = rows.find((r) => r.name.toLowerCase() === wanted);
    if (!row) throw new NotFoundError("screener", name.trim(), "error-unknown-screener");
    return toView(row);
  }

  /** Runs a saved screener (by id) or an unsaved config now. */
  async run(actor: Actor, target: number | { config: unknown }): Promise<ScreenerResult> {
    assertApproved(actor);
    if (typeof target === "number") {
      const saved = toView(await this.owned(actor, target));
      return this.execute(saved.config, { id: saved.id, name: saved.name });
    }
    return this.execute(await this.checkedConfig(target.config), null);
  }

  /** Runs a user's saved screener as that user (refused when they may no longer use the product). */
  async runAs(userId: number, screenerId: number): Promise<ScreenerResult> {
    const user = await this.ctx.db.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError("user", userId);
    return this.run(toActor(user), screenerId);
  }

  /**
   * For the schedule runner (ScreenerRunner): the ranked table as plain data, columns headed by
   * the indicators' short labels (sort indicator first), values as decimal strings.
   */
  async runForSchedule(userId: number, screenerId: number): Promise<ScreenerRunResult> {
    const result = await this.runAs(userId, screenerId);
    return toRunnerResult(result);
  }

  /** The symbols a universe stands for now, in instrument order. */
  async resolveUniverse(universe: Universe): Promise<string[]> {
    const all = await this.deps.instruments.list();
    switch (universe.kind) {
      case "SYMBOLS":
        return universe.symbols;
      case "ASSET_TYPE":
        return all.filter((i) => i.assetType === universe.assetType).map((i) => i.symbol);
      case "EXCHANGE":
        return all.filter((i) => i.exchange === universe.exchange).map((i) => i.symbol);
    }
  }

  private async execute(
    config: ScreenerConfig,
    screener: ScreenerResult["screener"],
  ): Promise<ScreenerResult> {
    // with the exchange unreachable every symbol would come back "skipped": say so instead
    if (!(await this.deps.market.reachable())) {
      throw new MarketUnavailableError(this.deps.market.name, null);
    }
    const universe = await this.resolveUniverse(config.universe);
    const priced: string[] = [];
    const unpriced: string[] = [];
    for (const symbol of new Set(universe)) {
      ((await this.deps.market.hasSymbol(symbol)) ? priced : unpriced).push(symbol);
    }
    const run = await runScreener(config, priced, this.deps.candles, this.ctx.clock.now());
    return {
      ...run,
      universe: priced.length + unpriced.length,
      skipped: [...unpriced, ...run.skipped].sort(),
      screener,
      config,
    };
  }

  /** Validates the JSON and resolves the universe's names against the instruments table. */
  private async checkedConfig(raw: unknown): Promise<ScreenerConfig> {
    const config = validateScreenerConfig(raw);
    const all = await this.deps.instruments.list();
    const u = config.universe;
    if (u.kind === "SYMBOLS") {
      const symbols: string[] = [];
      for (const text of u.symbols) {
        const symbol = (await this.deps.instruments.resolve(text)).symbol;
        if (!symbols.includes(symbol)) symbols.push(symbol);
      }
      return { ...config, universe: { kind: "SYMBOLS", symbols } };
    }
    if (u.kind === "EXCHANGE") {
      const exchanges = [...new Set(all.map((i) => i.exchange))].sort();
      if (!exchanges.includes(u.exchange)) {
        throw new ValidationError(
          "screenerExchange",
          "error-screener-exchange",
          { value: u.exchange, allowed: exchanges.join(", ") },
          exchanges,
        );
      }
    }
    if ((await this.resolveUniverse(u)).length === 0) {
      throw new ValidationError("screenerUniverse", "error-screener-universe-empty");
    }
    return config;
  }

  private async owned(actor: Actor, screenerId: number): Promise<ScreenerRow> {
    assertApproved(actor);
    const row = await this.ctx.db.screener.findFirst({
      where: { id: screenerId, userId: actor.id },
    });
    if (!row) throw new NotFoundError("screener", screenerId);
    return row;
  }

  private async assertNameFree(actor: Actor, name: string): Promise<void> {
    const rows = await this.ctx.db.screener.findMany({
      where: { userId: actor.id },
      select: { name: true },
    });
    if (rows.some((r) => r.name.toLowerCase() === name.toLowerCase())) throw nameTaken(name);
  }
}

/** A run in the shape the schedules module consumes. */
export function toRunnerResult(result: ScreenerResult): ScreenerRunResult {
  const specs = screenerSpecs(result.config);
  const labels = result.columns;
  return {
    screenerId: result.screener?.id ?? 0,
    screenerName: result.screener?.name ?? "",
    at: result.at,
    scanned: result.evaluated,
    columns: labels.map((label) => columnLabel(specs.get(label)!)),
    rows: result.rows.map((row) => ({
      symbol: row.symbol,
      values: labels.map((label) => {
        const v = row.values[label];
        return v === null || v === undefined ? null : plainNumber(v);
      }),
    })),
  };
}

function nameTaken(name: string): ConflictError {
  return new ConflictError("name", "error-screener-name-taken", { name });
}

function toView(row: ScreenerRow): ScreenerView {
  return {
    id: row.id,
    uid: row.uid,
    name: row.name,
    config: validateScreenerConfig(row.config),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
