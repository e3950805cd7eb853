// /strategy new NAME KIND ...: a strategy of a built-in kind in one line.
//   /strategy new Dip rules buy 10% when RSI(14) < 30; sell all when RSI(14) > 70
//   /strategy new Trend ma-cross fast=20 slow=50 type=ema tf=1h
//   /strategy new Weekly dca cron="0 9 * * 1" quote=100
//   /strategy new Range grid lower=90 upper=110 levels=5 quote=50
// Only the words are read here (name, kind, key=value pairs or the rules text); the kind's schema
// in the domain validates them and says which parameter or which statement is wrong. Whatever is
// left out (the name, the kind, the rules or the parameters) is asked step by step by the
// conversation in strategy-new.ts.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { StrategyView } from "../../../domain/strategies/strategy-service.ts";
import { isDomainError } from "../../../domain/errors.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { replyFmt } from "../../format/reply.ts";
import { STRATEGY_KINDS, type StrategyKind } from "../../../strategies/types.ts";
import { NEW_STRATEGY, type NewStrategyConversationArgs } from "./strategy-new.ts";

export const KIND_EXAMPLES: Record<string, string> = {
  rules: "buy 10% when RSI(14) < 30; sell all when RSI(14) > 70; stop 3%",
  "ma-cross": "fast=20 slow=50 type=ema tf=1h",
  dca: 'cron="0 9 * * 1" quote=100',
  grid: "lower=90 upper=110 levels=5 quote=50",
};
const KINDS = Object.keys(KIND_EXAMPLES);

const kindOf = (word: string): StrategyKind | null =>
  STRATEGY_KINDS.find((k) => k === word.toLowerCase()) ?? null;

/** Short names people type for the stored parameter names. */
const KEY_ALIASES: Record<string, string> = {
  tf: "timeframe",
  interval: "timeframe",
  stop: "stopLossPct",
  sl: "stopLossPct",
  take: "takeProfitPct",
  tp: "takeProfitPct",
  pct: "equityPct",
  dip: "dipPct",
  mult: "dipMultiplier",
  multiplier: "dipMultiplier",
  ref: "reference",
};

export interface NewStrategyArgs {
  name: string;
  kind: string;
  /** the rules text, or key=value pairs for the other kinds */
  rest: string;
}

/** "NAME KIND REST" (each may be missing: the caller asks for what is). */
export function parseNewStrategyArgs(text: string): NewStrategyArgs {
  const [name = "", kind = "", ...rest] = text.trim().split(/\s+/);
  // the rules keep their own spacing (new lines separate statements)
  const restText = rest.length ? text.trim().slice(text.trim().indexOf(rest[0]!)) : "";
  return { name, kind: kind.toLowerCase(), rest: restText };
}

/**
 * key=value pairs ("fast=20 cron=\"0 9 * * 1\""), values quoted when they hold spaces; null with
 * the first word that is not a pair.
 */
export function parseKeyValues(
  text: string,
): { ok: true; value: Record<string, string> } | { ok: false; word: string } {
  const out: Record<string, string> = {};
  const pattern = /\s*([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|“([^”]*)”|«([^»]*)»|'([^']*)'|(\S+))/y;
  let at = 0;
  const source = text.trim();
  while (at < source.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(source);
    if (!m) return { ok: false, word: source.slice(at).trim().split(/\s+/)[0]! };
    const key = m[1]!;
    out[Object.hasOwn(KEY_ALIASES, key.toLowerCase()) ? KEY_ALIASES[key.toLowerCase()]! : key] =
      m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6]!;
    at = pattern.lastIndex;
  }
  return { ok: true, value: out };
}

const example = (name: string, kind: string) =>
  FormattedString.code(`/strategy new ${name} ${kind} ${KIND_EXAMPLES[kind] ?? ""}`.trim());

function examples(ctx: BotContext, name: string): FormattedString {
  const lines = KINDS.map((k) => fmt`${ctx.t(`strategy-kind-${k}`)}\n${example(name, k)}`);
  return FormattedString.join(lines, "\n\n");
}

export async function newStrategyCommand(
  ctx: ActorContext,
  text: string,
  replySaved: (ctx: ActorContext, saved: StrategyView) => Promise<void>,
): Promise<void> {
  const args = parseNewStrategyArgs(text);
  const name = args.name || "MyStrategy";
  const known = KINDS.includes(args.kind);
  // what the one line leaves out (the kind, the parameters, the name) is asked step by step;
  // "/strategy new rules" is the kind without a name
  if (!args.kind || (known && !args.rest)) {
    const kindAsName = !args.kind ? kindOf(args.name) : null;
    await ctx.conversation.enter(NEW_STRATEGY, {
      name: kindAsName ? null : args.name || null,
      kind: kindAsName ?? kindOf(args.kind),
    } satisfies NewStrategyConversationArgs);
    return;
  }
  let params: Record<string, unknown>;
  if (args.kind === "rules") params = { source: args.rest };
  else if (!known) params = {};
  else {
    const pairs = parseKeyValues(args.rest);
    if (!pairs.ok) {
      await replyFmt(
        ctx,
        fmt`${ctx.t("strategy-new-bad-pair", { word: pairs.word })}\n${example(name, args.kind)}`,
      );
      return;
    }
    params = pairs.value;
  }
  let saved: StrategyView;
  try {
    saved = await ctx.deps.services.strategies.saveKind(ctx.actor, args.name, args.kind, params);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    const hint = known ? example(name, args.kind) : examples(ctx, name);
    await replyFmt(
      ctx,
      fmt`❌ ${describeDomainError((k, p) => ctx.t(k, p), e)}\n\n${ctx.t("strategy-new-try")}\n${hint}`,
    );
    return;
  }
  await replySaved(ctx, saved);
}
