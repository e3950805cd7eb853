// Alerts: created from a validated config, listed, paused, resumed and deleted by their owner,
// and evaluated by the alert job. Crossing semantics and cooldowns: alert-trigger.ts; what each
// condition measures: alert-observer.ts; the config: alert-config.ts; the job's pass:
// alert-evaluation.ts.
import { randomUUID } from "node:crypto";
import { type AlertRunSummary, evaluateAlerts } from "./alert-evaluation.ts";
import { type AlertRow, toView } from "./alert-rows.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { MarketData } from "../../market/types.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError, StateError, ValidationError } from "../errors.ts";
import type { CandleCache } from "../indicators/candle-cache.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import { MAX_NAME_LENGTH, cleanName } from "../names.ts";
import type { NotificationService } from "../notifications/notification-service.ts";
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import type { PositionService } from "../positions/position-service.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import { type AlertConfig, alertTypeOf, conditionSymbol, needsPortfolio } from "./alert-config.ts";
import {
  validateAlertCondition,
  validateAlertConfig,
  validateAlertOptions,
} from "./alert-validation.ts";
import type { AlertNotifier, AlertView } from "./alert-notifier.ts";
import { type Observation, observe } from "./alert-observer.ts";
import { createObservationSources } from "./alert-sources.ts";
import { formatAlertCondition } from "./alert-command-format.ts";
import { parseAlertCommand } from "./alert-syntax.ts";
import { type AlertState, EMPTY_STATE, readState } from "./alert-trigger.ts";
import type { RiskUsageSource } from "./risk-usage.ts";

export type { AlertRunResult, AlertRunSummary } from "./alert-evaluation.ts";

export const MAX_ALERTS_PER_USER = 100;
export const ALERT_PAGE_SIZE = 8;

export interface AlertServiceDeps {
  instruments: InstrumentService;
  portfolios: PortfolioService;
  positions: PositionService;
  notifications: NotificationService;
  market: MarketData;
  candles: CandleCache;
  /** RISK alerts are evaluated only when this is given */
  risk?: RiskUsageSource | null;
}

export interface AlertInput {
  /** an AlertCondition as JSON (validated here) */
  condition: unknown;
  /** AlertOptionsInput as JSON: trigger, once, cooldownMs, severity */
  options?: unknown;
  /** defaults to the condition in quick syntax */
  name?: string | null;
  /** POSITION and RISK alerts: the portfolio's name; the active portfolio when absent */
  portfolio?: string | null;
}

export interface CreatedAlert {
  alert: AlertView;
  /** the baseline taken at creation: the current values and side */
  observation: Observation;
}

export interface AlertPage {
  items: AlertView[];
  total: number;
  offset: number;
  limit: number;
}

export class AlertService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly deps: AlertServiceDeps,
  ) {}

  // ───────────── owner's operations ─────────────

  /** Parses quick syntax ("BTCUSDT above 70000 once") and creates the alert. */
  async createFromText(actor: Actor, text: string, name?: string | null): Promise<CreatedAlert> {
    assertApproved(actor);
    const parsed = parseAlertCommand(text);
    return this.create(actor, {
      condition: parsed.condition,
      options: parsed.options,
      portfolio: parsed.portfolio,
      name: name ?? null,
    });
  }

  async create(actor: Actor, input: AlertInput): Promise<CreatedAlert> {
    assertApproved(actor);
    let condition = validateAlertCondition(input.condition);
    const options = validateAlertOptions(input.options);
    const symbol = conditionSymbol(condition);
    if (symbol !== null && condition.kind !== "RISK_USAGE") {
      condition = { ...condition, symbol: await this.marketSymbol(symbol) };
    }
    const portfolio = needsPortfolio(condition)
      ? await this.deps.portfolios.resolvePortfolio(actor, input.portfolio)
      : null;
    const name = input.name?.trim()
      ? cleanName("name", input.name)
      : formatAlertCondition(condition, options.trigger === "level").slice(0, MAX_NAME_LENGTH);
    const config: AlertConfig = { v: 1, condition, ...options };

    const count = await this.ctx.db.alert.count({ where: { userId: actor.id } });
    if (count >= MAX_ALERTS_PER_USER) {
      throw new StateError("error-alert-limit", { max: MAX_ALERTS_PER_USER });
    }
    const now = this.ctx.clock.now();
    const observation = await observe(
      { userId: actor.id, portfolioId: portfolio?.id ?? null, condition, state: EMPTY_STATE },
      createObservationSources(this.ctx.db, this.deps),
      now,
    );
    if (observation.missing === "no-position") {
      throw new ValidationError("symbol", "error-alert-no-position", {
        symbol: symbol ?? "?",
        portfolio: portfolio?.name ?? "?",
      });
    }
    const state: AlertState = { side: observation.side, ...observation.extra };
    const row = await this.ctx.db.alert.create({
      data: {
        uid: randomUUID(),
        userId: actor.id,
        portfolioId: portfolio?.id ?? null,
        name,
        type: alertTypeOf(condition.kind),
        config: config as unknown as Prisma.InputJsonObject,
        state: state as unknown as Prisma.InputJsonObject,
        createdAt: now,
      },
    });
    return { alert: toView(row), observation };
  }

  async list(actor: Actor, page: { offset?: number; limit?: number } = {}): Promise<AlertPage> {
    assertApproved(actor);
    const limit = Math.min(Math.max(page.limit ?? ALERT_PAGE_SIZE, 1), MAX_ALERTS_PER_USER);
    const offset = Math.max(page.offset ?? 0, 0);
    const [rows, total] = await Promise.all([
      this.ctx.db.alert.findMany({
        where: { userId: actor.id },
        orderBy: { id: "asc" },
        skip: offset,
        take: limit,
      }),
      this.ctx.db.alert.count({ where: { userId: actor.id } }),
    ]);
    return { items: rows.map(toView), total, offset, limit };
  }

  async get(actor: Actor, alertId: number): Promise<AlertView> {
    return toView(await this.owned(actor, alertId));
  }

  async pause(actor: Actor, alertId: number): Promise<AlertView> {
    const row = await this.owned(actor, alertId);
    if (!row.isActive) return toView(row);
    return toView(
      await this.ctx.db.alert.update({ where: { id: row.id }, data: { isActive: false } }),
    );
  }

  /** Reactivates an alert with a fresh baseline, so what happened while paused does not fire. */
  async resume(actor: Actor, alertId: number): Promise<AlertView> {
    const row = await this.owned(actor, alertId);
    if (row.isActive) return toView(row);
    const config = validateAlertConfig(row.config);
    const observation = await observe(
      {
        userId: row.userId,
        portfolioId: row.portfolioId,
        condition: config.condition,
        state: readState(row.state),
      },
      createObservationSources(this.ctx.db, this.deps),
      this.ctx.clock.now(),
    );
    const state: AlertState = { side: observation.side, ...observation.extra };
    return toView(
      await this.ctx.db.alert.update({
        where: { id: row.id },
        data: { isActive: true, state: state as unknown as Prisma.InputJsonObject },
      }),
    );
  }

  async delete(actor: Actor, alertId: number): Promise<void> {
    const row = await this.owned(actor, alertId);
    await this.ctx.db.alert.delete({ where: { id: row.id } });
  }

  // ───────────── the job ─────────────

  /**
   * Evaluates every active alert of every live user at `now`, fires those whose condition calls
   * for it, and enqueues their notifications rendered by `notifier` (alert-evaluation.ts).
   */
  evaluateAll(now: Date, notifier: AlertNotifier): Promise<AlertRunSummary> {
    return evaluateAlerts(this.ctx, this.deps, now, notifier);
  }

  // ───────────── helpers ─────────────

  private async owned(actor: Actor, alertId: number): Promise<AlertRow> {
    assertApproved(actor);
    const row = await this.ctx.db.alert.findFirst({ where: { id: alertId, userId: actor.id } });
    if (!row) throw new NotFoundError("alert", alertId);
    return row;
  }

  /** The instrument's symbol for what was typed, refused when the market source cannot price it. */
  private async marketSymbol(text: string): Promise<string> {
    const instrument = await this.deps.instruments.resolve(text);
    if (!(await this.deps.market.hasSymbol(instrument.symbol))) {
      throw new ValidationError("symbol", "error-alert-no-market-data", {
        symbol: instrument.symbol,
      });
    }
    return instrument.symbol;
  }
}
