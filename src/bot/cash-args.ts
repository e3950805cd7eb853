// Arguments of /deposit, /withdraw and /transfer, in any order: an amount, an optional currency
// code and portfolio names. Names may contain spaces: they are recognized against the user's own
// portfolio names (case-insensitively, as /positions and "in NAME" do), may be quoted ("Long
// term", «Long term»), and a transfer may put "to" (or → / ->) between its two portfolios.
import { type Decimal, parseDecimal } from "../lib/decimal.ts";

interface Token {
  text: string;
  quoted: boolean;
}

export type CashArgsError =
  | { error: "usage" }
  /** none of the user's portfolios is called this */
  | { error: "unknown-portfolio"; name: string }
  /** the words split into two portfolio names in more than one way */
  | { error: "ambiguous" };

export interface CashArgs {
  amount: Decimal;
  currency: string | null;
  /** the portfolio's name as the user has it; null: the active portfolio */
  portfolio: string | null;
}

export interface TransferArgs {
  amount: Decimal;
  currency: string | null;
  from: string;
  to: string;
}

const CURRENCY = /^[A-Za-z]{2,10}$/;
const SEPARATORS = new Set(["to", "->", "→", "в", "на"]);

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/"([^"]*)"|«([^»]*)»|“([^”]*)”|(\S+)/g)) {
    const quoted = m[4] === undefined;
    const value = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? "").trim();
    if (value) out.push({ text: value, quoted });
  }
  return out;
}

/** The amount (the first plain token that is a number) and the other tokens in order. */
function splitAmount(text: string): { amount: Decimal; rest: Token[] } | null {
  const tokens = tokenize(text);
  const i = tokens.findIndex((t) => !t.quoted && parseDecimal(t.text) !== null);
  if (i < 0) return null;
  const amount = parseDecimal(tokens[i]!.text)!;
  return { amount, rest: tokens.filter((_, k) => k !== i) };
}

function nameMatcher(names: readonly string[]) {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  return (tokens: Token[]): string | null =>
    tokens.length
      ? (byLower.get(
          tokens
            .map((t) => t.text)
            .join(" ")
            .toLowerCase(),
        ) ?? null)
      : null;
}

const isCurrency = (t: Token | undefined): t is Token => !!t && !t.quoted && CURRENCY.test(t.text);
/** in error messages, only a word typed in capitals is taken for a currency code, not a name */
const looksLikeCode = (t: Token | undefined): t is Token =>
  isCurrency(t) && t.text === t.text.toUpperCase();

/** A currency code at either end of `tokens` and a name in the rest, or just a name. */
function nameWithCurrency(
  tokens: Token[],
  match: (t: Token[]) => string | null,
): Array<{ name: string; currency: string | null }> {
  const out: Array<{ name: string; currency: string | null }> = [];
  const whole = match(tokens);
  if (whole) out.push({ name: whole, currency: null });
  if (tokens.length > 1 && isCurrency(tokens[0])) {
    const name = match(tokens.slice(1));
    if (name) out.push({ name, currency: tokens[0].text.toUpperCase() });
  }
  if (tokens.length > 1 && isCurrency(tokens[tokens.length - 1])) {
    const name = match(tokens.slice(0, -1));
    if (name) out.push({ name, currency: tokens[tokens.length - 1]!.text.toUpperCase() });
  }
  return out;
}

/** /deposit and /withdraw: AMOUNT [CURRENCY] [PORTFOLIO] in any order. */
export function parseCashArgs(
  text: string,
  portfolioNames: readonly string[],
): CashArgs | CashArgsError {
  const split = splitAmount(text);
  if (!split) return { error: "usage" };
  const { amount, rest } = split;
  if (!rest.length) return { amount, currency: null, portfolio: null };
  const match = nameMatcher(portfolioNames);
  const named = nameWithCurrency(rest, match)[0];
  if (named) return { amount, currency: named.currency, portfolio: named.name };
  if (rest.length === 1 && isCurrency(rest[0]))
    return { amount, currency: rest[0].text.toUpperCase(), portfolio: null };
  // not a name of theirs: say which words were taken for one (a currency code at an end aside)
  const words = looksLikeCode(rest[0])
    ? rest.slice(1)
    : looksLikeCode(rest.at(-1))
      ? rest.slice(0, -1)
      : rest;
  return {
    error: "unknown-portfolio",
    name: (words.length ? words : rest).map((t) => t.text).join(" "),
  };
}

/** /transfer: AMOUNT [CURRENCY] FROM [to] TO, the currency anywhere at the ends. */
export function parseTransferArgs(
  text: string,
  portfolioNames: readonly string[],
): TransferArgs | CashArgsError {
  const split = splitAmount(text);
  if (!split) return { error: "usage" };
  const { amount, rest } = split;
  const match = nameMatcher(portfolioNames);
  const found = new Map<string, TransferArgs>();
  const add = (from: string, to: string, code: string | null) =>
    found.set(`${from}\u0000${to}\u0000${code ?? ""}`, { amount, currency: code, from, to });

  // "FROM to TO": each side a name, a currency code at the outer end of either
  const sep = rest.findIndex((t) => !t.quoted && SEPARATORS.has(t.text.toLowerCase()));
  if (sep > 0 && sep < rest.length - 1) {
    for (const left of nameWithCurrency(rest.slice(0, sep), match)) {
      for (const right of nameWithCurrency(rest.slice(sep + 1), match)) {
        if (left.currency && right.currency) continue;
        add(left.name, right.name, left.currency ?? right.currency);
      }
    }
  }
  if (!found.size) {
    // no separator: every split of the words into two names, with or without a currency code
    const variants: Array<{ tokens: Token[]; code: string | null }> = [
      { tokens: rest, code: null },
    ];
    if (isCurrency(rest[0]))
      variants.push({ tokens: rest.slice(1), code: rest[0].text.toUpperCase() });
    const last = rest.at(-1);
    if (isCurrency(last))
      variants.push({ tokens: rest.slice(0, -1), code: last.text.toUpperCase() });
    for (const { tokens, code } of variants) {
      for (let i = 1; i < tokens.length; i++) {
        const from = match(tokens.slice(0, i));
        const to = match(tokens.slice(i));
        if (from && to) add(from, to, code);
      }
    }
  }
  const options = [...found.values()];
  if (options.length === 1) return options[0]!;
  if (options.length > 1) {
    // the same two portfolios read with and without a currency code: prefer the code
    const pairs = new Set(options.map((o) => `${o.from}\u0000${o.to}`));
    if (pairs.size === 1) return options.find((o) => o.currency) ?? options[0]!;
    return { error: "ambiguous" };
  }
  if (rest.length < 2) return { error: "usage" };
  // name the words that are not one of their portfolios: after a known source, or the source
  const words = looksLikeCode(rest[0]) && !match([rest[0]]) ? rest.slice(1) : rest;
  for (let i = words.length; i > 0; i--) {
    if (!match(words.slice(0, i))) continue;
    const tail = words.slice(i).filter((t) => t.quoted || !SEPARATORS.has(t.text.toLowerCase()));
    const unknown = tail.length > 1 && looksLikeCode(tail.at(-1)) ? tail.slice(0, -1) : tail;
    if (unknown.length)
      return { error: "unknown-portfolio", name: unknown.map((t) => t.text).join(" ") };
  }
  const head = words.findIndex((t) => !t.quoted && SEPARATORS.has(t.text.toLowerCase()));
  const source = head > 0 ? words.slice(0, head) : words.slice(0, 1);
  return { error: "unknown-portfolio", name: source.map((t) => t.text).join(" ") };
}
