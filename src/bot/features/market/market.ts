// /price SYMBOL and /quote SYMBOL: the last price, and the full quote with bid/ask, spread and
// the day's change, at the instrument's own precision. Offline prices are labelled synthetic.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { formatLocal, formatRecent } from "../../../lib/time.ts";
import { type Quote, isMarketUnavailable } from "../../../market/types.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { BotContext } from "../../context.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { describeDomainError } from "../../errors.ts";
import { formatNumber, formatPercent, formatPrice } from "../../format/numbers.ts";
import { replyFmt } from "../../format/reply.ts";

/** At most this many symbols per command: one message stays readable (and within 4,096). */
export const MAX_SYMBOLS = 10;

function symbolArgs(ctx: BotContext): string[] {
  const text = typeof ctx.match === "string" ? ctx.match.trim() : "";
  // "BTCUSDT ETHUSDT", "BTCUSDT, ETHUSDT": each once, in the order given
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map((s) => s.toUpperCase()),
    ),
  ];
}

async function priceCommand(ctx: BotContext, full: boolean): Promise<void> {
  const symbols = symbolArgs(ctx);
  if (symbols.length === 0) {
    await ctx.reply(ctx.t(full ? "quote-usage" : "price-usage"));
    return;
  }
  const parts: FormattedString[] = [];
  for (const symbol of symbols.slice(0, MAX_SYMBOLS)) {
    try {
      parts.push(await priceOf(ctx, symbol, full));
    } catch (e) {
      // one unknown symbol (or an unreachable exchange) does not hide the others' prices
      if (isMarketUnavailable(e))
        parts.push(fmt`${instrumentLabel(symbol)}: ${ctx.t("error-market-unavailable")}`);
      else if (isDomainError(e)) parts.push(fmt`${describeDomainError((k, p) => ctx.t(k, p), e)}`);
      else throw e;
    }
  }
  if (symbols.length > MAX_SYMBOLS)
    parts.push(fmt`${FormattedString.i(ctx.t("price-too-many", { max: MAX_SYMBOLS }))}`);
  await replyFmt(ctx, FormattedString.join(parts, full ? "\n\n" : "\n"));
}

async function priceOf(ctx: BotContext, text: string, full: boolean): Promise<FormattedString> {
  const { quotes } = ctx.deps.services;
  if (!full) {
    const { instrument, quote } = await quotes.price(text);
    const locale = await ctx.i18n.getLocale();
    return fmt`${FormattedString.b(instrument.symbol)} ${formatPrice(quote.last, instrument.rules.tickSize, locale)} ${instrument.currency} · ${FormattedString.i(quoteTime(ctx, quote))}`;
  }
  const { instrument, quote, spread, spreadBps, day } = await quotes.quote(text);
  const locale = await ctx.i18n.getLocale();
  const tick = instrument.rules.tickSize;
  const lines = [
    fmt`${FormattedString.b(instrument.symbol)} · ${instrument.name ?? instrument.symbol}`,
    fmt`${ctx.t("quote-last")}: ${formatPrice(quote.last, tick, locale)} ${instrument.currency}`,
    fmt`${ctx.t("quote-bid")}: ${formatPrice(quote.bid, tick, locale)}   ${ctx.t("quote-ask")}: ${formatPrice(quote.ask, tick, locale)}`,
    fmt`${ctx.t("quote-spread")}: ${formatPrice(spread, tick, locale)}${spreadBps ? ` (${ctx.t("quote-bp", { value: formatNumber(spreadBps, locale, { maxDecimals: 1 }) })})` : ""}`,
    ...(day
      ? [
          fmt`${ctx.t("quote-day-range")}: ${formatPrice(day.low, tick, locale)} – ${formatPrice(day.high, tick, locale)}`,
          fmt`${ctx.t("quote-day-change")}: ${day.changePct ? formatPercent(day.changePct, locale) : "—"}`,
        ]
      : []),
    fmt`${FormattedString.i(quoteTime(ctx, quote))}`,
  ];
  return FormattedString.join(lines, "\n");
}

/** When the quote was taken, and whether its prices are synthetic. */
function quoteTime(ctx: BotContext, quote: Quote): string {
  const synthetic = quote.synthetic ? ` · ${ctx.t("price-synthetic")}` : "";
  const zone = ctx.user?.timeZone ?? "UTC";
  // a stale quote is the last one the source got before it lost the exchange: say how old
  const when = quote.stale
    ? ctx.t("price-stale", { time: formatRecent(quote.time, zone) })
    : formatLocal(quote.time, zone, true);
  return `${when}${synthetic}`;
}

function instrumentLabel(symbol: string): FormattedString {
  return FormattedString.b(symbol);
}

export function registerMarket(registry: CommandRegistry): void {
  registry.add({
    name: "price",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-price",
    exampleKey: "cmd-price-example",
    privateOnly: false,
    handler: (ctx) => priceCommand(ctx, false),
  });
  registry.add({
    name: "quote",
    scope: "user",
    group: "trading",
    descriptionKey: "cmd-quote",
    exampleKey: "cmd-quote-example",
    privateOnly: false,
    handler: (ctx) => priceCommand(ctx, true),
  });
}
