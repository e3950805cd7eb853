// The instrument refresh job for a live market data source: at start and then once a day the
// exchange's listing (loadMarkets) is written to the instruments table. It ticks hourly so a
// refresh missed while the exchange was unreachable happens within the hour after it returns.
import type {
  InstrumentSync,
  InstrumentSyncResult,
} from "../domain/instruments/instrument-sync.ts";
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../logger.ts";
import type { MarketData } from "../market/types.ts";
import type { JobSpec } from "./scheduler.ts";

/** Six-field node-cron pattern (src/jobs/scheduler.ts): minute 17 of every hour. */
export const INSTRUMENT_SYNC_PATTERN = "0 17 * * * *";
const REFRESH_MS = 24 * 3_600_000;

export interface InstrumentSyncJobDeps {
  market: Pick<MarketData, "instruments" | "reachable" | "name">;
  sync: InstrumentSync;
  /** the exchange code instruments are stored under ("BINANCE") */
  exchange: string;
  clock: Clock;
  logger: Logger;
}

export class InstrumentSyncJob {
  private lastSync: number | null = null;

  constructor(private readonly deps: InstrumentSyncJobDeps) {}

  /** Refreshes when the last refresh is a day old (or `force`); null when nothing was done. */
  async runOnce(force = false): Promise<InstrumentSyncResult | null> {
    const now = this.deps.clock.now().getTime();
    if (!force && this.lastSync !== null && now - this.lastSync < REFRESH_MS) return null;
    if (!(await this.deps.market.reachable())) {
      this.deps.logger.warn(
        { source: this.deps.market.name },
        "instrument refresh skipped: exchange unreachable",
      );
      return null;
    }
    const result = await this.deps.sync.apply(
      this.deps.exchange,
      await this.deps.market.instruments(),
    );
    this.lastSync = now;
    this.deps.logger.info(
      { source: this.deps.market.name, exchange: this.deps.exchange, ...result },
      "instruments refreshed from the exchange",
    );
    return result;
  }

  job(pattern = INSTRUMENT_SYNC_PATTERN): JobSpec {
    return { name: "instrument-sync", pattern, run: () => this.runOnce() };
  }
}
