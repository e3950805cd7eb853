// Writes every portfolio's daily checkpoints (checkpoints.ts) up to yesterday, UTC: the
// checkpoint job's work. Idempotent and incremental: a portfolio already checkpointed through
// yesterday costs one query; one whose checkpoints a late row deleted is rebuilt from the latest
// that is left.
import type { DomainContext } from "../context.ts";
import type { MarkSource } from "./pnl-service.ts";
import { writeCheckpoints } from "./checkpoint-writer.ts";
import { DAY_MS, utcDay } from "./checkpoints.ts";

export interface CheckpointRun {
  portfolios: number;
  /** checkpoint days written (each one row per currency) */
  days: number;
}

export class CheckpointService {
  constructor(
    private readonly ctx: DomainContext,
    private readonly marks: Pick<MarkSource, "priceAt">,
  ) {}

  /** Checkpoints every portfolio through the last closed UTC day. */
  async writeClosedDays(): Promise<CheckpointRun> {
    const yesterday = new Date(utcDay(this.ctx.clock.now()).getTime() - DAY_MS);
    const portfolios = await this.ctx.db.portfolio.findMany({
      select: { id: true, accountId: true },
      orderBy: { id: "asc" },
    });
    let days = 0;
    for (const p of portfolios) days += await this.writeThrough(p, yesterday);
    return { portfolios: portfolios.length, days };
  }

  /** Checkpoints one portfolio through `lastDay` (a closed UTC day). */
  async writeThrough(portfolio: { id: number; accountId: number }, lastDay: Date): Promise<number> {
    if (utcDay(lastDay).getTime() + DAY_MS > this.ctx.clock.now().getTime())
      throw new RangeError("only closed days are checkpointed");
    return writeCheckpoints(this.ctx, portfolio, lastDay, (symbol, at) =>
      this.marks.priceAt(symbol, at),
    );
  }
}
