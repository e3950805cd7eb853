// What a user picks from and checks while making a schedule: when a preset or an expression
// would run in a time zone, the chats a report can go to, the screeners a schedule can run, and
// whether a name is taken. ScheduleService (schedule-service.ts) adds the schedules themselves.
import type { DomainContext } from "../context.ts";
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import type { ScreenerRunner } from "../reports/screener-runner.ts";
import { type Actor, assertApproved } from "../users/actor.ts";
import {
  type SchedulePreset,
  checkCron,
  checkScheduleTimeZone,
  nextRuns,
  presetOf,
} from "./cron-schedule.ts";
import { cronOf } from "./schedule-checks.ts";
import type { DestinationChoice, ScheduleWhen, ScreenerChoice } from "./schedule-types.ts";
import { destinationOf } from "./schedule-views.ts";

interface CronPreview {
  cron: string;
  preset: SchedulePreset | null;
  timeZone: string;
  /** the next run times (UTC instants; show them in timeZone) */
  runs: Date[];
}

export class ScheduleChoices {
  constructor(
    protected readonly ctx: DomainContext,
    protected readonly portfolios: PortfolioService,
    protected readonly screeners: ScreenerRunner | null = null,
  ) {}

  /** Whether screener schedules can be created (a screener runner was provided). */
  get screenersAvailable(): boolean {
    return this.screeners !== null;
  }

  /**
   * Checks a preset or an expression in a time zone and returns the next `n` run times, for the
   * "here is when it will run — confirm?" step. Throws the same ValidationErrors as create.
   */
  preview(when: ScheduleWhen, timeZone: string, n = 5, from?: Date): CronPreview {
    const zone = checkScheduleTimeZone(timeZone);
    const at = from ?? this.ctx.clock.now();
    const cron = cronOf(when, zone, at);
    return { cron, preset: presetOf(cron), timeZone: zone, runs: nextRuns(cron, zone, n, at) };
  }

  /** The next `n` run times of a checked expression in a zone (for lists). */
  nextRuns(expression: string, timeZone: string, n = 5, from?: Date): Date[] {
    const zone = checkScheduleTimeZone(timeZone);
    const at = from ?? this.ctx.clock.now();
    return nextRuns(checkCron(expression, zone, at), zone, n, at);
  }

  /** The user's active chats a schedule can deliver to, the private chat first. */
  async destinations(actor: Actor): Promise<DestinationChoice[]> {
    assertApproved(actor);
    const rows = await this.ctx.db.telegramChat.findMany({
      where: { userId: actor.id, isActive: true },
      orderBy: { id: "asc" },
    });
    return rows
      .map((c) => ({ ...destinationOf(c), isPrivate: c.type === "PRIVATE" }))
      .sort((a, b) => Number(b.isPrivate) - Number(a.isPrivate) || a.id - b.id);
  }

  /** The user's active screeners, for choosing what a screener schedule runs. */
  async screenerChoices(actor: Actor): Promise<ScreenerChoice[]> {
    assertApproved(actor);
    return this.ctx.db.screener.findMany({
      where: { userId: actor.id, isActive: true },
      select: { id: true, name: true },
      orderBy: { id: "asc" },
    });
  }

  async nameTaken(actor: Actor, name: string): Promise<boolean> {
    assertApproved(actor);
    const rows = await this.ctx.db.schedule.findMany({
      where: { userId: actor.id },
      select: { name: true },
    });
    const wanted = name.replace(/\s+/g, " ").trim().toLowerCase();
    return rows.some((r) => r.name.toLowerCase() === wanted);
  }
}
