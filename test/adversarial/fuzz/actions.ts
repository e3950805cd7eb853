// What one fuzz step does to the bot: a command with random arguments, free text (often in the
// middle of a conversation a previous step opened), a press on a real button the bot sent, a
// forged or mutated press, an edited message, a sticker, a photo, a forwarded message, a channel
// post, or a group message sent on behalf of a channel. Who acts: mostly the approved trader
// (so commands do real work), sometimes the admin, a stranger, or the trader inside a group.
import fc from "fast-check";
import { argument, forgedCallbackData, freeText } from "./vocabulary.ts";

export type Who = "trader" | "admin" | "stranger";
export type Where = "private" | "group";

export type FuzzAction =
  | {
      kind: "command";
      who: Who;
      where: Where;
      name: string;
      args: string[];
      sep: string;
      mention: boolean;
    }
  | { kind: "text"; who: Who; where: Where; text: string }
  /** a registry example (or a trading template), as is or with one word swapped for `swap` */
  | { kind: "example"; who: Who; where: Where; index: number; word: number; swap: string | null }
  /** a real button from one of the bot's recent messages in the actor's chat, by position */
  | { kind: "press"; who: Who; message: number; button: number }
  /** the data of a real button with its numbers replaced, or made-up data */
  | { kind: "forgedPress"; who: Who; message: number; data: string; mutate: boolean }
  | { kind: "edit"; who: Who; text: string }
  | { kind: "sticker"; who: Who }
  | { kind: "photo"; who: Who; caption: string | null }
  | { kind: "forward"; who: Who; text: string }
  | { kind: "channelPost"; text: string }
  | { kind: "asChannel"; text: string };

const who: fc.Arbitrary<Who> = fc.oneof(
  { weight: 8, arbitrary: fc.constant("trader" as const) },
  { weight: 1, arbitrary: fc.constant("admin" as const) },
  { weight: 1, arbitrary: fc.constant("stranger" as const) },
);
const where: fc.Arbitrary<Where> = fc.oneof(
  { weight: 9, arbitrary: fc.constant("private" as const) },
  { weight: 1, arbitrary: fc.constant("group" as const) },
);

/** One action; `commands` are the registry's names (plus a few it does not know). */
export function fuzzAction(commands: readonly string[]): fc.Arbitrary<FuzzAction> {
  const name = fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(...commands) },
    { weight: 1, arbitrary: fc.constantFrom("nosuch", "BUY", "start_", "a".repeat(32)) },
  );
  const separator = fc.constantFrom(" ", " ", " ", "  ", "\n", "\u00A0", "\t");
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record({
        kind: fc.constant("command" as const),
        who,
        where,
        name,
        args: fc.array(argument, { maxLength: 5 }),
        sep: separator,
        mention: fc.boolean(),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({ kind: fc.constant("text" as const), who, where, text: freeText }),
    },
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant("example" as const),
        who,
        where,
        index: fc.nat(),
        word: fc.nat(6),
        swap: fc.option(argument, { nil: null, freq: 3 }),
      }),
    },
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant("press" as const),
        who,
        message: fc.nat(5),
        button: fc.nat(40),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("forgedPress" as const),
        who,
        message: fc.nat(5),
        data: forgedCallbackData,
        mutate: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("edit" as const), who, text: freeText }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("sticker" as const), who }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("photo" as const),
        who,
        caption: fc.option(freeText, { nil: null }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("forward" as const), who, text: freeText }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("channelPost" as const),
        text: fc.oneof(freeText, fc.constant("/link 123456"), fc.constant("/start")),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("asChannel" as const),
        text: fc.oneof(
          freeText,
          name.map((n) => `/${n}`),
        ),
      }),
    },
  );
}

/**
 * Commands that do real work with the trader's paper money, next to the registry's examples:
 * small orders that fill, limit orders that rest (then get canceled, amended or closed), cash in
 * and out.
 */
export const TRADING_TEMPLATES = [
  "/buy BTCUSDT 0.01",
  "/sell BTCUSDT 0.005",
  "/buy ETHUSDT 0.2",
  "/sell ETHUSDT 0.1",
  "/buy SOLUSDT $250",
  "/buy BTCUSDT 0.01 limit 1000",
  "/sell ETHUSDT 0.1 limit 100000",
  "/buy ETHUSDT 0.1 stop 100000",
  "/deposit 1000",
  "/withdraw 10",
  "/close BTCUSDT",
  "/close ETHUSDT",
  "/cancel 1",
  "/cancel 2",
  "/amend 2 price=1100",
  "/orders",
  "/positions",
];

/** One word of `text` (by position) replaced with `swap`. */
export function swapWord(text: string, position: number, swap: string): string {
  const words = text.split(" ");
  if (words.length < 2) return `${text} ${swap}`;
  // never the command itself: the arguments are what is under test
  words[1 + (position % (words.length - 1))] = swap;
  return words.join(" ");
}

/** The numbers in real callback data swapped for hostile ones ("ord:cf:12" → "ord:cf:-1"). */
export function mutateNumbers(data: string, replacement: string): string {
  return data.replace(/\d+/g, replacement).slice(0, 64);
}

export const mutationNumbers = ["0", "-1", "1", "2", "999999999", "1e30", "NaN"] as const;

/** Everything `argument` can produce, re-exported for the regression tests. */
export { argument };
