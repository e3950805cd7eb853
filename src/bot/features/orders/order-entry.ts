// Step-by-step order entry for people who prefer buttons to syntax: side, symbol (with
// suggestions), quantity or cash amount, type, the prices that type needs, time in force — then
// the same confirmation card the quick syntax shows. Started with a partial draft (from /buy,
// /sell or the card's Edit button) it asks only for what is missing or lets the user change it.
import { checkTypedNumber } from "./validate-input.ts";
import { type OrderDraft, blankDraft } from "./quick-syntax.ts";
import { showCard } from "./flow.ts";
import {
  type BotContext,
  type BotConversation,
  type ConvContext,
  actorOf,
  withActor,
} from "../../context.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import { askPress, askText, cancellable } from "../../conversations/ask.ts";
import { entrySide, entrySymbol, entryTimeInForce, entryType } from "./callback-data.ts";

export const ORDER_ENTRY = "order-entry";

const POPULAR = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "AAPL", "NVDA", "SPY"];
const TYPES = ["MARKET", "LIMIT", "STOP", "STOP_LIMIT", "TRAILING"] as const;
const TIFS = ["GTC", "IOC", "FOK", "DAY"] as const;

export async function orderEntry(
  conversation: BotConversation,
  ctx: ConvContext,
  start?: Partial<OrderDraft>,
): Promise<void> {
  await cancellable(async () => {
    let draft: OrderDraft = { ...blankDraft(start?.side ?? "BUY"), ...(start ?? {}) };
    const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);

    // side
    if (!start?.side) {
      await ctx.reply(t("entry-side"), {
        reply_markup: keyboard([
          [
            button(t("order-side-buy"), entrySide.pack({ side: "BUY" })),
            button(t("order-side-sell"), entrySide.pack({ side: "SELL" })),
          ],
        ]),
      });
      const { value } = await askPress(conversation, entrySide, t("entry-press-button"));
      draft.side = value.side;
    }

    // the buttons offer only what the portfolio's account trades: AAPL is no suggestion for a
    // USDT account (stocks settle in USD)
    const offered = await conversation.external(async (c: BotContext) => {
      const portfolio = await c.deps.services.portfolios
        .resolvePortfolio(actorOf(c), draft.portfolio)
        .catch(() => null);
      if (!portfolio) return null;
      const symbols: string[] = [];
      for (const symbol of POPULAR) {
        const instrument = await c.deps.services.instruments.resolve(symbol).catch(() => null);
        if (instrument?.currency === portfolio.baseCurrency) symbols.push(symbol);
      }
      return symbols;
    });
    if (offered === null) {
      // nowhere to trade: no card with Edit and Cancel, but the way to a portfolio
      await ctx.reply(t("order-no-portfolio"));
      return;
    }
    await ctx.reply(t("entry-symbol", { current: draft.symbol || "—" }), {
      reply_markup: keyboard(
        grid(
          offered.map((s) => button(s, entrySymbol.pack({ symbol: s }))),
          3,
        ),
      ),
    });
    for (;;) {
      const answer = await askPress(conversation, entrySymbol, t("entry-symbol-again"), (text) => ({
        value: text.toUpperCase(),
      }));
      const value = typeof answer.value === "string" ? answer.value : answer.value.symbol;
      const check = await conversation.external(async (c: BotContext) => {
        try {
          return {
            symbol: (await c.deps.services.instruments.resolve(value)).symbol,
            suggestions: [] as string[],
            error: null,
          };
        } catch (e) {
          const suggestions = (e as { suggestions?: string[] }).suggestions ?? [];
          return {
            symbol: null,
            suggestions,
            // "try one of these" only when there are some to try
            error: c.t("entry-unknown-symbol", {
              symbol: value.slice(0, 20),
              suggested: suggestions.length > 0 ? "yes" : "no",
              examples: (offered.length ? offered : POPULAR).slice(0, 2).join(", "),
            }),
          };
        }
      });
      if (check.symbol) {
        draft.symbol = check.symbol;
        break;
      }
      await ctx.reply(check.error ?? "", {
        reply_markup: keyboard(
          grid(
            check.suggestions.map((s) => button(s, entrySymbol.pack({ symbol: s }))),
            3,
          ),
        ),
      });
    }

    // quantity or cash amount
    await ctx.reply(t("entry-quantity", { symbol: draft.symbol }));
    const { value: size } = await askText<{ quantity: string | null; cash: string | null }>(
      conversation,
      (text, c) => {
        const cash = text.match(/^\$\s*(.+)$/);
        const checked = cash
          ? checkTypedNumber(cash[1]!, "amount", "amount", (k, p) => c.t(k, p))
          : checkTypedNumber(text, "quantity", "quantity", (k, p) => c.t(k, p));
        if ("error" in checked) return checked;
        const n = checked.value.toFixed();
        return { value: cash ? { quantity: null, cash: n } : { quantity: n, cash: null } };
      },
    );
    draft = { ...draft, quantity: size.quantity, cashAmount: size.cash };

    // type and its prices
    await ctx.reply(t("entry-type"), {
      reply_markup: keyboard(
        grid(
          TYPES.map((k) => button(t(`order-type-${k.toLowerCase()}`), entryType.pack({ type: k }))),
          3,
        ),
      ),
    });
    const { value: typed } = await askPress(conversation, entryType, t("entry-press-button"));
    draft = {
      ...draft,
      // read as before the codec: any capitals (the buttons make only TYPES)
      type: typed.type as OrderDraft["type"],
      price: null,
      stopPrice: null,
      trailAmount: null,
      trailPercent: null,
    };
    const askPrice = async (key: string, field: string) => {
      await ctx.reply(t(key, { symbol: draft.symbol }));
      return (
        await askText<string>(conversation, (text, c) => {
          const checked = checkTypedNumber(text, field, "price", (k, p) => c.t(k, p));
          return "error" in checked ? checked : { value: checked.value.toFixed() };
        })
      ).value;
    };
    if (draft.type === "STOP" || draft.type === "STOP_LIMIT")
      draft.stopPrice = await askPrice("entry-stop-price", "stopPrice");
    if (draft.type === "LIMIT" || draft.type === "STOP_LIMIT")
      draft.price = await askPrice("entry-limit-price", "price");
    if (draft.type === "TRAILING") {
      await ctx.reply(t("entry-trail"));
      const { value: trail } = await askText<{ pct: boolean; v: string }>(
        conversation,
        (text, c) => {
          const pct = text.trim().endsWith("%");
          const checked = pct
            ? checkTypedNumber(text.trim().slice(0, -1), "trailPercent", "percent", (k, p) =>
                c.t(k, p),
              )
            : checkTypedNumber(text, "trailAmount", "price", (k, p) => c.t(k, p));
          return "error" in checked ? checked : { value: { pct, v: checked.value.toFixed() } };
        },
      );
      if (trail.pct) draft.trailPercent = trail.v;
      else draft.trailAmount = trail.v;
    }

    // time in force
    await ctx.reply(t("entry-tif"), {
      reply_markup: keyboard([TIFS.map((k) => button(k, entryTimeInForce.pack({ tif: k })))]),
    });
    const { value: tif } = await askPress(conversation, entryTimeInForce, t("entry-press-button"));
    draft.timeInForce = tif.tif as OrderDraft["timeInForce"];

    // the card is shown from the outside context: it stores the draft in the session
    const final = draft;
    await conversation.external((c: BotContext) => showCard(withActor(c), final));
  });
}
