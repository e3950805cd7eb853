// What the strategy runtime reads of an instance and carries through one evaluation, shared by
// the runtime (strategy-runtime.ts), its records (runtime-records.ts) and the daily summaries.
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { Interval } from "../../market/types.ts";
import type { StrategyPosition } from "../../strategies/types.ts";
import type { PortfolioView } from "../portfolios/portfolio-service.ts";
import type { PositionView } from "../positions/position-service.ts";
import type { Actor } from "../users/actor.ts";
import type { RunnableStrategy } from "./stored-params.ts";

export const instanceInclude = {
  // its owner too: the runtime hands the strategy to the order path as the user's own
  strategy: { select: { id: true, userId: true, name: true, version: true, params: true } },
  user: true,
  states: true,
} satisfies Prisma.StrategyInstanceInclude;

export type InstanceRow = Prisma.StrategyInstanceGetPayload<{ include: typeof instanceInclude }>;

/**
 * What the runtime reads of an instance to evaluate it: the above and its RUNNING run (newest
 * first; there is one), whose figures it carries on after the evaluation.
 */
export const evaluatedInclude = {
  ...instanceInclude,
  runs: { where: { status: "RUNNING" }, orderBy: { id: "desc" } },
} satisfies Prisma.StrategyInstanceInclude;

export type EvaluatedRow = Prisma.StrategyInstanceGetPayload<{
  include: typeof evaluatedInclude;
}>;

/** The strategy's positions in the portfolio, as one read found them. */
export interface StrategyBook {
  /** per instrument: a copy each call (placeIntents moves it) */
  of: (instrumentId: number) => StrategyPosition;
  /** the positions as read, flat ones included (the run's PnL sums them) */
  read: readonly PositionView[];
}

/** A symbol's state after a candle that asked for no order, waiting for RuntimeRecords.saveStates. */
export interface PendingState {
  symbol: string;
  candleOpenTime: Date;
  state: unknown;
}

export interface Evaluation {
  row: EvaluatedRow;
  actor: Actor;
  portfolio: PortfolioView;
  runnable: RunnableStrategy;
  timeframe: Interval;
  now: Date;
  /**
   * the strategy's positions, once read (RuntimeRecords.strategyPositions); null again once an
   * order may have moved one
   */
  positions: Promise<StrategyBook> | null;
  /** the states of the symbols that asked for no order, written together after the last symbol */
  pending: PendingState[];
}
