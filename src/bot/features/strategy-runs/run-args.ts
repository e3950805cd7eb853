// The quick syntax of /run and of the commands that name a running strategy:
// "STRATEGY on PORTFOLIO [SYMBOLS]", "STRATEGY [SYMBOLS]" (Russian "на" for "on").
import { isDomainError } from "../../../domain/errors.ts";
import { UnknownSymbolError } from "../../../market/types.ts";
import type { ActorContext } from "../../context.ts";
import type { RunStrategyArgs } from "./strategy-run.ts";

export const ON_WORD = /^(on|на)$/i;

export interface RunWords {
  name: string | null;
  portfolio: string | null;
  /** the words that may be symbols (after the portfolio, or after the name without "on") */
  rest: string[];
}

/**
 * "MeanRev on Swing BTCUSDT ETHUSDT", "MeanRev BTCUSDT", "MeanRev on Swing", "": the words
 * before "on" (or the first word) name the strategy; after "on" come the portfolio and the
 * symbols, told apart by the caller (a trailing word that is a symbol is a symbol).
 */
export function splitRunWords(text: string): RunWords {
  const words = text.split(/[\s,]+/).filter(Boolean);
  const on = words.findIndex((w) => ON_WORD.test(w));
  if (on < 0) return { name: words[0] ?? null, portfolio: null, rest: words.slice(1) };
  return { name: words.slice(0, on).join(" ") || null, portfolio: null, rest: words.slice(on + 1) };
}

async function isSymbol(ctx: ActorContext, word: string): Promise<boolean> {
  try {
    await ctx.deps.services.instruments.resolve(word);
    return true;
  } catch (e) {
    // the instrument service explains unknown symbols as domain errors (with suggestions)
    if (e instanceof UnknownSymbolError || isDomainError(e)) return false;
    throw e;
  }
}

/** The strategy, portfolio and symbols the quick syntax gives, resolved (errors answered). */
export async function readRunArgs(ctx: ActorContext, text: string): Promise<RunStrategyArgs> {
  const words = splitRunWords(text);
  const { services } = ctx.deps;
  const hasOn = text.split(/[\s,]+/).some((w) => ON_WORD.test(w));
  let portfolioWords: string[] = [];
  let symbols = words.rest;
  if (hasOn) {
    // symbols from the end; what is left before them names the portfolio
    let cut = words.rest.length;
    while (cut > 0 && (await isSymbol(ctx, words.rest[cut - 1]!))) cut--;
    portfolioWords = words.rest.slice(0, cut);
    symbols = words.rest.slice(cut);
  }
  const strategy = words.name ? await services.strategies.active(ctx.actor, words.name) : null;
  const portfolio = portfolioWords.length
    ? await services.portfolios.findPortfolioByName(ctx.actor, portfolioWords.join(" "))
    : null;
  const resolved: string[] = [];
  // an unknown symbol is explained with suggestions by the instrument service
  for (const s of symbols) resolved.push((await services.instruments.resolve(s)).symbol);
  return {
    name: strategy?.name ?? null,
    portfolioId: portfolio?.id ?? null,
    symbols: resolved,
  };
}
