// /backtest STRATEGY SYMBOL [FROM [TO]] [TIMEFRAME]: runs one of the user's strategies over the
// history of a symbol (domain/backtests). The words and then the strategy, symbol and range are
// checked at once, every problem answered in words; the run itself goes on in the background —
// candles, then a worker thread of the bounded pool, off the event loop — while ONE progress
// message is edited in place (at most every PROGRESS_EDIT_MS, and only when the figure changed),
// and is finally edited into the figures, followed by a chart (equity against buy-and-hold,
// drawdown beneath, entries and exits marked).
//
// The handler returns as soon as the run is started: updates are handled one at a time per chat,
// so awaiting the run would hold back the user's next commands (and a second /backtest could not
// be refused while the first runs — the domain allows one run per user).
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { InputFile } from "grammy";
import type {
  BacktestOutcome,
  BacktestPhase,
  PreparedBacktest,
} from "../../../domain/backtests/backtest-service.ts";
import { INTERVALS } from "../../../market/intervals.ts";
import { renderBacktestChart } from "../../../reports/charts/backtest-chart.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { clipEchoed, describeError } from "../../errors.ts";
import { replyFmt } from "../../format/reply.ts";
import { type Translate, translatorFor } from "../../i18n.ts";
import { type BacktestArgsProblem, parseBacktestArgs } from "./backtest-args.ts";
import { chartInput, progressText, resultText } from "./backtest-text.ts";

/** The progress message is edited at most this often (Telegram allows about 1 message/s per chat). */
export const PROGRESS_EDIT_MS = 2_000;
const CHART_FILE = "backtest.png";
const EXAMPLE = "/backtest Dip BTCUSDT 2026-01-01 2026-03-01 1h";

const argsOf = (ctx: BotContext) => (typeof ctx.match === "string" ? ctx.match : "");

function problemText(t: Translate, p: BacktestArgsProblem): string {
  switch (p.problem) {
    case "usage":
      return "";
    case "date":
      return t("backtest-bad-date", { word: clipEchoed(p.word) });
    case "dates":
      return t("backtest-too-many-dates", { word: clipEchoed(p.word) });
    case "timeframe":
      return t("backtest-bad-timeframe", {
        word: clipEchoed(p.word),
        intervals: INTERVALS.join(", "),
      });
    case "word":
      return t("backtest-bad-word", { word: clipEchoed(p.word) });
  }
}

/**
 * Decides which progress reports become edits: at most one per `intervalMs`, and none that would
 * show the same figure again. The first report waits a full interval after the message was sent.
 */
export class ProgressThrottle {
  private lastAt: number;
  private last = "";

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastAt = now();
  }

  /** true when `state` (phase and percent) should be shown now */
  admit(state: string): boolean {
    if (state === this.last || this.now() - this.lastAt < this.intervalMs) return false;
    this.last = state;
    this.lastAt = this.now();
    return true;
  }
}

/**
 * The one progress message of a run: edits go out one after another (a late progress edit never
 * lands after the result); a failed edit is logged and the run goes on.
 */
class ProgressMessage {
  private queue: Promise<unknown>;
  private chatId = 0;
  private messageId = 0;

  constructor(
    private readonly ctx: BotContext,
    first: FormattedString,
  ) {
    this.queue = replyMessage(ctx, first).then((m) => {
      this.chatId = m.chat.id;
      this.messageId = m.message_id;
    });
  }

  edit(text: FormattedString): Promise<unknown> {
    this.queue = this.queue
      .then(() =>
        this.ctx.api.editMessageText(this.chatId, this.messageId, text.text, {
          entities: text.entities,
        }),
      )
      .catch((err: unknown) => {
        if (err instanceof Error && /message is not modified/.test(err.message)) return;
        this.ctx.deps.logger.warn({ err }, "backtest progress message could not be edited");
      });
    return this.queue;
  }
}

function replyMessage(ctx: BotContext, text: FormattedString) {
  return ctx.reply(text.text, { entities: text.entities });
}

async function sendChart(ctx: BotContext, t: Translate, locale: string, outcome: BacktestOutcome) {
  const input = chartInput(t, locale, outcome);
  if (!input) return;
  let png: Buffer;
  try {
    png = (await renderBacktestChart(input)).png;
  } catch (err) {
    ctx.deps.logger.warn({ err }, "backtest chart could not be rendered");
    return;
  }
  await ctx.replyWithPhoto(new InputFile(png, CHART_FILE), { caption: input.title });
}

/** The run after it was accepted: progress edits, then the figures and the chart (or why not). */
async function runInBackground(
  ctx: ActorContext,
  t: Translate,
  locale: string,
  prepared: PreparedBacktest,
): Promise<void> {
  const progress = new ProgressMessage(ctx, progressText(t, prepared, "queued", 0));
  const throttle = new ProgressThrottle(PROGRESS_EDIT_MS);
  const onProgress = (phase: BacktestPhase, done: number) => {
    const percent = Math.floor(done * 100);
    if (throttle.admit(`${phase}:${percent}`))
      void progress.edit(progressText(t, prepared, phase, percent));
  };
  let outcome: BacktestOutcome;
  try {
    // started before the progress message is out: the run is the user's from this moment
    outcome = await ctx.deps.services.backtests.execute(prepared, onProgress);
  } catch (error) {
    const why = describeError(t, error, ctx.deps.logger, {
      backtest: prepared.strategy,
      user: prepared.userId,
    });
    await progress.edit(fmt`⚠️ ${why}`);
    return;
  }
  await progress.edit(resultText(t, locale, outcome));
  await sendChart(ctx, t, locale, outcome);
}

async function backtestCommand(ctx: ActorContext): Promise<void> {
  const actor = ctx.actor;
  const locale = await ctx.i18n.getLocale();
  // a translator that outlives the update (the run ends long after the handler returned)
  const t = translatorFor(ctx.deps.i18n, locale);
  const parsed = parseBacktestArgs(argsOf(ctx), actor.timeZone);
  if (!parsed.ok) {
    const why = problemText(t, parsed);
    await replyFmt(
      ctx,
      fmt`${why ? `${why}\n\n` : ""}${t("backtest-usage")}\n${FormattedString.code(EXAMPLE)}`,
    );
    return;
  }
  // strategy (only the user's own), symbol and range: a domain error is answered by the boundary
  const prepared = await ctx.deps.services.backtests.prepare(actor, {
    strategy: parsed.strategy,
    symbol: parsed.symbol,
    from: parsed.from,
    to: parsed.to,
    timeframe: parsed.timeframe,
  });
  runInBackground(ctx, t, locale, prepared).catch((err: unknown) =>
    ctx.deps.logger.error({ err, backtest: prepared.strategy }, "backtest reply failed"),
  );
}

export function registerBacktests(registry: CommandRegistry): void {
  registry.add({
    name: "backtest",
    scope: "user",
    group: "strategies",
    descriptionKey: "cmd-backtest",
    exampleKey: "cmd-backtest-example",
    handler: backtestCommand,
  });
}
