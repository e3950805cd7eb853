// /newscreener: universe → interval → conditions one by one (buttons for common ones, or typed
// expressions such as "RSI(14) < 30") → sort → top N → name. The config is plain JSON built from
// the domain's parsers; saving (and the final validation) happens in conversation.external(),
// so replays never repeat it.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { formatIndicator, type IndicatorSpec } from "../../../domain/indicators/indicator-spec.ts";
import { parseIndicator } from "../../../domain/indicators/indicator-syntax.ts";
import { cleanName } from "../../../domain/names.ts";
import { parseCondition } from "../../../domain/screeners/condition-syntax.ts";
import {
  MAX_CONDITIONS,
  MAX_LIMIT,
  type ScreenerCondition,
  type Universe,
  formatCondition,
} from "../../../domain/screeners/screener-config.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { replyFmt } from "../../format/reply.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import { explain } from "../alerts/alert-text.ts";
import { askPress, askText, cancellable } from "../../conversations/ask.ts";
import { callbackData, oneOf } from "../../callback-data.ts";
import { runScreener } from "./callback-data.ts";

export const SCREENER_NEW = "new-screener";

/** Conditions offered as buttons; anything else can be typed. */
export const COMMON_CONDITIONS = [
  "RSI(14) < 30",
  "RSI(14) > 70",
  "EMA(20) > EMA(50)",
  "PRICE_CHANGE_PCT(24) > 5",
  "VOLUME_SPIKE(20) > 2",
  "DIST_FROM_HIGH_PCT(30d) < 5",
];
const ASSET_TYPES = ["CRYPTO", "EQUITY", "ETF"] as const;
const INTERVALS = ["15m", "1h", "4h", "1d"] as const;
const TOP_N = ["5", "10", "20"] as const;

// the conversation's buttons, step by step ("ns:<step>:…")
const universeType = callbackData("ns", "u", { by: ["t"], assetType: ASSET_TYPES });
const universeExchange = callbackData("ns", "u", { by: ["x"], exchange: "string" });
const pickCondition = callbackData("ns", "c", { index: "index" });
const conditionsDone = callbackData("ns", "c", { done: ["done"] });
const pickSort = callbackData("ns", "s", { index: "index" });
const pickOrder = callbackData("ns", "o", { order: ["asc", "desc"] });
const pickInterval = callbackData("ns", "i", { interval: INTERVALS });
const pickTop = callbackData("ns", "n", { top: TOP_N });
const EXTRA_SORT_KEYS = ["PRICE_CHANGE_PCT(24)", "VOLUME_SPIKE(20)", "RSI(14)"];

/** Symbols typed as a list ("BTCUSDT ETHUSDT, AAPL"), resolved against the instruments table. */
async function askSymbols(conversation: BotConversation, text: string) {
  const words = text.split(/[\s,;]+/).filter(Boolean);
  return conversation.external(async (o: BotContext) => {
    const symbols: string[] = [];
    try {
      for (const w of words) {
        const symbol = (await o.deps.services.instruments.resolve(w)).symbol;
        if (!symbols.includes(symbol)) symbols.push(symbol);
      }
      return { symbols, error: null };
    } catch (e) {
      return { symbols: [], error: explain(o, e) };
    }
  });
}

async function askUniverse(conversation: BotConversation, ctx: ConvContext): Promise<Universe> {
  const exchanges = await conversation.external(async (o: BotContext) =>
    [...new Set((await o.deps.services.instruments.list()).map((i) => i.exchange))].sort(),
  );
  const buttons = [
    ...ASSET_TYPES.map((a) =>
      button(
        ctx.t(`screener-universe-type-${a.toLowerCase()}`),
        universeType.pack({ by: "t", assetType: a }),
      ),
    ),
    ...exchanges.map((x) => button(x, universeExchange.pack({ by: "x", exchange: x }))),
  ];
  await ctx.reply(ctx.t("newscreener-universe"), { reply_markup: keyboard(grid(buttons, 3)) });
  for (;;) {
    const { value, ctx: c } = await askPress(
      conversation,
      oneOf(universeType, universeExchange),
      ctx.t("newscreener-universe-again"),
      (text) => ({ value: { typed: text } }),
    );
    if ("assetType" in value) return { kind: "ASSET_TYPE", assetType: value.assetType };
    if ("exchange" in value) return { kind: "EXCHANGE", exchange: value.exchange };
    const found = await askSymbols(conversation, value.typed);
    if (found.error === null && found.symbols.length)
      return { kind: "SYMBOLS", symbols: found.symbols };
    await c.reply(found.error ?? ctx.t("newscreener-universe-again"));
  }
}

async function askConditions(
  conversation: BotConversation,
  ctx: ConvContext,
): Promise<ScreenerCondition[]> {
  const conditions: ScreenerCondition[] = [];
  const markup = keyboard([
    ...grid(
      COMMON_CONDITIONS.map((c, i) => button(c, pickCondition.pack({ index: i }))),
      2,
    ),
    [button(ctx.t("newscreener-done"), conditionsDone.pack({ done: "done" }))],
  ]);
  await ctx.reply(ctx.t("newscreener-conditions"), { reply_markup: markup });
  while (conditions.length < MAX_CONDITIONS) {
    const { value, ctx: c } = await askPress(
      conversation,
      oneOf(pickCondition, conditionsDone),
      ctx.t("newscreener-conditions-again"),
      (text) => ({ value: { typed: text } }),
    );
    if ("done" in value) break;
    const text = "typed" in value ? value.typed : (COMMON_CONDITIONS[value.index] ?? "");
    try {
      conditions.push(parseCondition(text));
    } catch (e) {
      await c.reply(`${explain(c, e)}\n${ctx.t("newscreener-condition-example")}`);
      continue;
    }
    const list = conditions.map(formatCondition).join(", ");
    await c.reply(ctx.t("newscreener-condition-added", { list, count: conditions.length }), {
      reply_markup: markup,
    });
  }
  return conditions;
}

async function askSort(
  conversation: BotConversation,
  ctx: ConvContext,
  conditions: ScreenerCondition[],
) {
  const keys: string[] = [];
  const add = (spec: IndicatorSpec) => {
    const label = formatIndicator(spec);
    if (!keys.includes(label)) keys.push(label);
  };
  for (const c of conditions) {
    add(c.left);
    if (typeof c.right !== "number") add(c.right);
  }
  for (const extra of EXTRA_SORT_KEYS) add(parseIndicator(extra));
  const offered = keys.slice(0, 6);
  await ctx.reply(ctx.t("newscreener-sort"), {
    reply_markup: keyboard(
      grid(
        offered.map((k, i) => button(k, pickSort.pack({ index: i }))),
        2,
      ),
    ),
  });
  let by: IndicatorSpec | null = null;
  while (!by) {
    const { value, ctx: c } = await askPress(
      conversation,
      pickSort,
      ctx.t("newscreener-sort-again"),
      (text) => ({ value: { typed: text } }),
    );
    try {
      by = parseIndicator("typed" in value ? value.typed : (offered[value.index] ?? ""));
    } catch (e) {
      await c.reply(explain(c, e));
    }
  }
  await ctx.reply(ctx.t("newscreener-order"), {
    reply_markup: keyboard([
      [
        button(ctx.t("newscreener-order-desc"), pickOrder.pack({ order: "desc" })),
        button(ctx.t("newscreener-order-asc"), pickOrder.pack({ order: "asc" })),
      ],
    ]),
  });
  const { value } = await askPress(conversation, pickOrder, ctx.t("newscreener-press-button"));
  return { by, order: value.order };
}

export async function newScreener(conversation: BotConversation, ctx: ConvContext): Promise<void> {
  await cancellable(async () => {
    const universe = await askUniverse(conversation, ctx);
    await ctx.reply(ctx.t("newscreener-interval"), {
      reply_markup: keyboard([INTERVALS.map((i) => button(i, pickInterval.pack({ interval: i })))]),
    });
    const interval = (await askPress(conversation, pickInterval, ctx.t("newscreener-press-button")))
      .value.interval;
    const conditions = await askConditions(conversation, ctx);
    const sort = await askSort(conversation, ctx, conditions);

    await ctx.reply(ctx.t("newscreener-top", { max: MAX_LIMIT }), {
      reply_markup: keyboard([TOP_N.map((n) => button(n, pickTop.pack({ top: n })))]),
    });
    const answer = await askPress(
      conversation,
      pickTop,
      ctx.t("newscreener-top-again", { max: MAX_LIMIT }),
      (text) =>
        /^\d{1,2}$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_LIMIT
          ? { value: text }
          : null,
    );
    const top = typeof answer.value === "string" ? answer.value : answer.value.top;

    await ctx.reply(ctx.t("newscreener-name"));
    const { value: name } = await askText<string>(conversation, async (text, c) => {
      try {
        const clean = cleanName("name", text);
        const taken = await conversation.external(async (o: BotContext) =>
          (await o.deps.services.screeners.list(actorOf(o))).some(
            (s) => s.name.toLowerCase() === clean.toLowerCase(),
          ),
        );
        return taken
          ? { error: c.t("error-screener-name-taken", { name: clean }) }
          : { value: clean };
      } catch (e) {
        return { error: explain(c, e) };
      }
    });

    const config = { universe, interval, conditions, sort, limit: Number(top) };
    const saved = await conversation.external(async (o: BotContext) => {
      try {
        const s = await o.deps.services.screeners.create(actorOf(o), { name, config });
        return { id: s.id, error: null };
      } catch (e) {
        return { id: null, error: explain(o, e) };
      }
    });
    if (saved.id === null) {
      await ctx.reply(saved.error ?? "");
      return;
    }
    await replyFmt(
      ctx,
      fmt`✅ ${FormattedString.b(ctx.t("newscreener-saved", { name }))}\n${ctx.t("newscreener-run-hint", { command: `/screen ${name}` })}`,
      keyboard([[button(ctx.t("screener-run-now"), runScreener.pack({ id: saved.id }))]]),
    );
  });
}
