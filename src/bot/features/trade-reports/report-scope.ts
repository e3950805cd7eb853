// What every trade report reads from its arguments and its reader: the portfolio named (the
// active one when none is; archived ones too, by name), the other words, and the reader's
// language and time zone. /export takes its portfolio the same way.
import { NotFoundError } from "../../../domain/errors.ts";
import type { PortfolioView } from "../../../domain/portfolios/portfolio-service.ts";
import { PERIODS } from "../../../lib/time.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { parseScopeArgs } from "../positions/positions.ts";

const argText = (ctx: BotContext) => (typeof ctx.match === "string" ? ctx.match : "");

/**
 * The portfolio the words name (the active one when they name none) and the other words taken
 * by `leading`; null after answering when a word is neither one of those nor a portfolio.
 */
export async function reportScope(
  ctx: ActorContext,
  leading: (word: string) => boolean,
  usageKey: string,
  /** what the other words may be, for the answer to a word that is none of them */
  expected: string = ctx.t("reports-expect-period", { periods: PERIODS.join(", ") }),
): Promise<{ portfolio: PortfolioView; rest: string[] } | null> {
  const args = parseScopeArgs(argText(ctx), leading);
  if (args.strategy !== null) {
    await ctx.reply(ctx.t(usageKey));
    return null;
  }
  const { portfolios } = ctx.deps.services;
  try {
    // archived portfolios too, by name: their history stays readable and exportable
    const portfolio = await portfolios.resolveForReading(ctx.actor, args.portfolio);
    return { portfolio, rest: args.rest };
  } catch (e) {
    if (!(e instanceof NotFoundError) || e.key !== "error-unknown-portfolio") throw e;
    const names = (await portfolios.listPortfolios(ctx.actor)).map((p) => p.name);
    await ctx.reply(
      ctx.t("reports-unknown-word", {
        word: args.portfolio ?? "",
        expected,
        portfolios: names.join(", ") || "—",
      }) + `\n${ctx.t(usageKey)}`,
    );
    return null;
  }
}

/** The reader's locale, time zone and translation. */
export async function readerView(ctx: ActorContext) {
  const locale = await ctx.i18n.getLocale();
  const zone = ctx.user?.timeZone ?? ctx.actor.timeZone;
  const t = (key: string, params?: Record<string, string | number>) => ctx.t(key, params);
  return { locale, zone, t };
}
