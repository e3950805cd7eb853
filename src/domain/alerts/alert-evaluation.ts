// The alert job's pass: every active alert of every live user observed at one instant, fired when
// its trigger says so. Evaluation writes only when something changed (the side, the drawdown
// peak, a firing); a firing updates the alert and enqueues its notification in one transaction,
// guarded by the updatedAt the evaluation read, so an alert paused, resumed or deleted meanwhile
// is left alone.
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { DomainContext } from "../context.ts";
import { conditionSymbol } from "./alert-config.ts";
import type { AlertEvaluation, AlertNotifier, AlertOwner, AlertView } from "./alert-notifier.ts";
import { type ObservationSources, observe } from "./alert-observer.ts";
import { type AlertRow, toView } from "./alert-rows.ts";
import type { AlertServiceDeps } from "./alert-service.ts";
import { createObservationSources } from "./alert-sources.ts";
import { type AlertState, decideTrigger, readState, sameState } from "./alert-trigger.ts";
import { validateAlertConfig } from "./alert-validation.ts";

export interface AlertRunResult extends AlertEvaluation {
  alertId: number;
  /** a pause, resume or delete landed between reading and writing: nothing was written */
  stale: boolean;
}

export interface AlertRunSummary {
  evaluated: number;
  fired: number;
  /** RISK alerts while no risk usage source is configured */
  skipped: number;
  results: AlertRunResult[];
  errors: Array<{ alertId: number; error: unknown }>;
}

/** Users whose alerts run: active and approved (admins count as approved). */
const LIVE_OWNER = { isActive: true, OR: [{ status: "APPROVED" as const }, { isAdmin: true }] };

/**
 * Evaluates every active alert of every live user at `now`, fires those whose condition calls
 * for it, and enqueues their notifications rendered by `notifier`. One alert's failure (a
 * symbol the source no longer lists, ...) is reported in the summary and does not stop the rest.
 */
export async function evaluateAlerts(
  ctx: DomainContext,
  deps: AlertServiceDeps,
  now: Date,
  notifier: AlertNotifier,
): Promise<AlertRunSummary> {
  const rows = await ctx.db.alert.findMany({
    where: { isActive: true, user: LIVE_OWNER },
    include: {
      user: { select: { id: true, language: true, telegramLanguage: true, timeZone: true } },
      portfolio: { select: { name: true } },
    },
    orderBy: { id: "asc" },
  });
  // one batch request for every symbol the run will quote, where the source can
  await deps.market.prefetchQuotes?.(alertSymbols(rows.map((r) => r.config)));
  const sources = createObservationSources(ctx.db, deps);
  const summary: AlertRunSummary = {
    evaluated: 0,
    fired: 0,
    skipped: 0,
    results: [],
    errors: [],
  };
  for (const row of rows) {
    if (row.type === "RISK" && !deps.risk) {
      summary.skipped++;
      continue;
    }
    try {
      const result = await evaluateOne(
        ctx,
        deps,
        row,
        row.user,
        row.portfolio?.name ?? null,
        sources,
        now,
        notifier,
      );
      summary.evaluated++;
      if (result.fired) summary.fired++;
      summary.results.push(result);
    } catch (error) {
      summary.errors.push({ alertId: row.id, error });
    }
  }
  return summary;
}

async function evaluateOne(
  ctx: DomainContext,
  deps: AlertServiceDeps,
  row: AlertRow,
  owner: AlertOwner,
  portfolioName: string | null,
  sources: ObservationSources,
  now: Date,
  notifier: AlertNotifier,
): Promise<AlertRunResult> {
  const config = validateAlertConfig(row.config);
  const state = readState(row.state);
  const observation = await observe(
    { userId: row.userId, portfolioId: row.portfolioId, condition: config.condition, state },
    sources,
    now,
  );
  const decision = decideTrigger(
    config.condition,
    config,
    state.side,
    observation.side,
    row.lastTriggeredAt,
    now,
  );
  // data missing for a moment keeps the last side; a position that is gone resets it
  const side = observation.side ?? (observation.missing === "no-data" ? state.side : null);
  const next: AlertState =
    config.condition.kind === "POSITION_DRAWDOWN"
      ? {
          side,
          peak: observation.extra.peak ?? null,
          peakSide: observation.extra.peakSide ?? null,
        }
      : { side };
  const evaluation: AlertEvaluation = {
    at: now,
    side: observation.side,
    values: observation.values,
    fired: decision.fire,
    heldByCooldown: decision.heldByCooldown,
    missing: observation.missing,
  };
  if (!decision.fire && sameState(state, next)) {
    return { ...evaluation, alertId: row.id, stale: false };
  }
  const after: AlertView = {
    ...toView(row),
    state: next,
    ...(decision.fire
      ? { lastTriggeredAt: now, triggerCount: row.triggerCount + 1, isActive: !config.once }
      : {}),
  };
  // rendered before the transaction: pure, and a rendering bug then changes nothing
  const message = decision.fire
    ? notifier.render({ owner, alert: after, evaluation, portfolioName })
    : null;
  const written = await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.alert.updateMany({
      where: { id: row.id, isActive: true, updatedAt: row.updatedAt },
      data: {
        state: next as unknown as Prisma.InputJsonObject,
        ...(decision.fire
          ? { lastTriggeredAt: now, triggerCount: { increment: 1 }, isActive: !config.once }
          : {}),
      },
    });
    if (count === 0) return false;
    if (message) {
      await deps.notifications.enqueue(tx, {
        userId: row.userId,
        type: "ALERT_TRIGGERED",
        severity: config.severity,
        title: message.title,
        message: message.message,
        format: message.format,
        dedupeKey: `alert:${row.uid}:${row.triggerCount + 1}`,
        replyMarkup: message.replyMarkup ?? null,
      });
    }
    return true;
  });
  return {
    ...evaluation,
    fired: decision.fire && written,
    alertId: row.id,
    stale: !written,
  };
}

/** Distinct symbols the alerts' conditions watch (configs that do not validate are left out). */
function alertSymbols(configs: readonly unknown[]): string[] {
  const symbols = new Set<string>();
  for (const raw of configs) {
    try {
      const symbol = conditionSymbol(validateAlertConfig(raw).condition);
      if (symbol) symbols.add(symbol);
    } catch {
      // evaluateOne reports the invalid config for that alert
    }
  }
  return [...symbols];
}
