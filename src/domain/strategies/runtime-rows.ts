// What the strategy runtime reads of an instance and carries through one evaluation, shared by
// the runtime (strategy-runtime.ts), its records (runtime-records.ts) and the daily summaries.
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { Interval } from "../../market/types.ts";
import type { StrategyPosition } from "../../strategies/types.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { Actor } from "../users/actor.ts";
import type { RunnableStrategy } from "./stored-params.ts";

export const instanceInclude = {
  // its owner too: the runtime hands the strategy to the order path as the user's own
  strategy: { select: { id: true, userId: true, name: true, version: true, params: true } },
  user: true,
  states: true,
} satisfies Prisma.StrategyInstanceInclude;

export type InstanceRow = Prisma.StrategyInstanceGetPayload<{ include: typeof instanceInclude }>;

export interface Evaluation {
  row: InstanceRow;
  actor: Actor;
  portfolio: PortfolioView;
  runnable: RunnableStrategy;
  timeframe: Interval;
  now: Date;
  /** the strategy's position per instrument, once read (RuntimeRecords.strategyPositions) */
  positions: Promise<(instrumentId: number) => StrategyPosition> | null;
}
