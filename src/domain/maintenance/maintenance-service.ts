// Database upkeep, run by the maintenance job's ticks (every minute), each task logged with its
// duration:
// - SQLite: PRAGMA optimize daily (at MAINTENANCE_DAILY_AT, UTC; and at the first tick after a
//   start), a WAL checkpoint (TRUNCATE) whenever the WAL file has grown past WAL_CHECKPOINT_MB
//   (long readers can keep automatic checkpoints from ever resetting it), and VACUUM weekly in the
//   hour after VACUUM_AT (a quiet hour: VACUUM rewrites the whole file and holds the write lock);
// - PostgreSQL: ANALYZE daily. VACUUM is autovacuum's job there.
// When each task last ran is kept in memory: after a restart the daily task runs once more, and
// a VACUUM slot missed while the bot was down waits for the next week.
import fs from "node:fs";
import path from "node:path";
import { sqlitePath } from "../../db/url.ts";
import type { WeeklySlot } from "../../ops-config.ts";
import type { DomainContext } from "../context.ts";
import type { SyncLogger } from "../trading/account-sync.ts";

export interface MaintenanceSettings {
  url: string;
  walCheckpointBytes: number;
  /** minute of the UTC day of the daily task */
  dailyAtMinute: number;
  vacuum: WeeklySlot;
}

export type MaintenanceTask = "optimize" | "analyze" | "checkpoint" | "vacuum";

export interface TaskRun {
  task: MaintenanceTask;
  ms: number;
  detail?: Record<string, number | string>;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const VACUUM_WINDOW_MS = 60 * MINUTE;

/** The latest daily slot at or before `now` (UTC). */
export function latestDailySlot(now: Date, minuteOfDay: number): Date {
  const dayStart = Math.floor(now.getTime() / DAY) * DAY;
  const slot = dayStart + minuteOfDay * MINUTE;
  return new Date(slot <= now.getTime() ? slot : slot - DAY);
}

/** The latest weekly slot at or before `now` (UTC). */
export function latestWeeklySlot(now: Date, slot: WeeklySlot): Date {
  const today = latestDailySlot(now, slot.minuteOfDay);
  const back = (today.getUTCDay() - slot.weekday + 7) % 7;
  return new Date(today.getTime() - back * DAY);
}

export class MaintenanceService {
  private lastDaily: Date | null = null;
  private lastVacuum: Date | null = null;

  constructor(
    private readonly ctx: DomainContext,
    private readonly settings: MaintenanceSettings,
    private readonly logger?: SyncLogger,
  ) {}

  private get sqliteFile(): string | null {
    if (this.ctx.provider !== "sqlite") return null;
    const file = sqlitePath(this.settings.url);
    return file === ":memory:" ? null : path.resolve(file);
  }

  /** One tick of the job: whatever is due now. Returns what ran. */
  async tick(): Promise<TaskRun[]> {
    const now = this.ctx.clock.now();
    const runs: TaskRun[] = [];
    const checkpoint = await this.checkpointIfLarge();
    if (checkpoint) runs.push(checkpoint);
    const daily = latestDailySlot(now, this.settings.dailyAtMinute);
    if (!this.lastDaily || this.lastDaily < daily) {
      this.lastDaily = now;
      runs.push(this.ctx.provider === "postgres" ? await this.analyze() : await this.optimize());
    }
    if (this.ctx.provider === "sqlite") {
      const slot = latestWeeklySlot(now, this.settings.vacuum);
      const inWindow = now.getTime() - slot.getTime() < VACUUM_WINDOW_MS;
      if (inWindow && (!this.lastVacuum || this.lastVacuum < slot)) {
        this.lastVacuum = now;
        runs.push(await this.vacuum());
      }
    }
    return runs;
  }

  /** Size of the WAL file in bytes (0 when none or not SQLite). */
  walBytes(): number {
    const file = this.sqliteFile;
    if (!file) return 0;
    return fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  }

  async checkpointIfLarge(): Promise<TaskRun | null> {
    const before = this.walBytes();
    if (before <= this.settings.walCheckpointBytes) return null;
    return this.checkpoint();
  }

  async checkpoint(): Promise<TaskRun> {
    const before = this.walBytes();
    return this.timed("checkpoint", async () => {
      const [row] = await this.ctx.db.$queryRawUnsafe<
        Array<{ busy: number | bigint; log: number | bigint; checkpointed: number | bigint }>
      >("PRAGMA wal_checkpoint(TRUNCATE)");
      return {
        walBytesBefore: before,
        walBytesAfter: this.walBytes(),
        busy: Number(row?.busy ?? 0),
        frames: Number(row?.log ?? 0),
      };
    });
  }

  async optimize(): Promise<TaskRun> {
    return this.timed("optimize", async () => {
      await this.ctx.db.$queryRawUnsafe("PRAGMA optimize");
      return {};
    });
  }

  async analyze(): Promise<TaskRun> {
    return this.timed("analyze", async () => {
      await this.ctx.db.$executeRawUnsafe("ANALYZE");
      return {};
    });
  }

  async vacuum(): Promise<TaskRun> {
    const file = this.sqliteFile;
    const size = () => (file ? (fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) : 0);
    const before = size();
    return this.timed("vacuum", async () => {
      await this.ctx.db.$executeRawUnsafe("VACUUM");
      return { bytesBefore: before, bytesAfter: size() };
    });
  }

  private async timed(
    task: MaintenanceTask,
    fn: () => Promise<Record<string, number | string>>,
  ): Promise<TaskRun> {
    const started = performance.now();
    const detail = await fn();
    const run = { task, ms: Math.round(performance.now() - started), detail };
    this.logger?.info({ maintenance: task, ms: run.ms, ...detail }, `database ${task} done`);
    return run;
  }
}
