// How a running strategy instance is read for its owner: the row with its portfolio and version,
// and the view the bot shows (/running, /stop, /strategy). Split from
// strategy-instance-service.ts.
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { LastSignal, StrategyInstanceView } from "./instance-types.ts";

export const instanceInclude = {
  portfolio: {
    select: {
      name: true,
      account: { select: { broker: { select: { isPaper: true } } } },
    },
  },
  strategy: { select: { name: true, version: true, params: true } },
} satisfies Prisma.StrategyInstanceInclude;

export type InstanceRow = Prisma.StrategyInstanceGetPayload<{ include: typeof instanceInclude }>;

export function parseLastSignal(text: string | null): LastSignal | null {
  if (!text) return null;
  const [action = "", symbol = "", ...reason] = text.split(" ");
  return { action, symbol, reason: reason.join(" ") };
}

export function symbolsOf(json: Prisma.JsonValue): string[] {
  return Array.isArray(json) ? json.filter((s): s is string => typeof s === "string") : [];
}

function kindOf(params: Prisma.JsonValue): string {
  return typeof params === "object" &&
    params !== null &&
    !Array.isArray(params) &&
    typeof params.kind === "string"
    ? params.kind
    : "";
}

export function toView(row: InstanceRow, latest: Map<string, number>): StrategyInstanceView {
  return {
    id: row.id,
    uid: row.uid,
    userId: row.userId,
    portfolioId: row.portfolioId,
    portfolioName: row.portfolio.name,
    isPaper: row.portfolio.account.broker.isPaper,
    strategyId: row.strategyId,
    strategyName: row.strategy.name,
    strategyVersion: row.strategy.version,
    latestVersion: latest.get(row.strategy.name.toLowerCase()) ?? row.strategy.version,
    kind: kindOf(row.strategy.params),
    symbols: symbolsOf(row.symbols),
    status: row.status,
    consecutiveErrors: row.consecutiveErrors,
    lastError: row.lastError,
    lastSignal: parseLastSignal(row.lastSignal),
    lastSignalAt: row.lastSignalAt,
    startedAt: row.startedAt,
    pausedAt: row.pausedAt,
    stoppedAt: row.stoppedAt,
  };
}
