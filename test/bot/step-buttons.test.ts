// The step buttons of the conversations (order entry "oe:", /newalert "na:", /strategy new "sn:",
// onboarding "onb:") and the pager buttons ("pg:") moved from strings built by hand and regular
// expressions to the typed codecs. Buttons already in chats must keep working and every press
// must be read as it was:
// - every button is written as the same string as before;
// - every press is read as the regular expression before the codec read it — the buttons'
//   own data, the same data with an owner tag (as a private chat passes it on: whole) and
//   malformed or forged data, listed and random — except three kinds of forged data no button
//   makes, named in KNOWN_CHANGES;
// - in a group the owner tag ("~<base36 id>", src/lib/button-owner.ts) is checked and stripped
//   by the guard before any conversation reads the press, so the owner's press is read as the
//   bare button and anyone else's is refused before it is read.
// The readers "before" are the patterns and extractions the conversations used until this change.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.ts";
import { newAlertStep } from "../../src/bot/features/alerts/callback-data.ts";
import {
  entrySide,
  entrySymbol,
  entryTimeInForce,
  entryType,
} from "../../src/bot/features/orders/callback-data.ts";
import {
  onboardingLanguage,
  onboardingZone,
  skipNote,
} from "../../src/bot/features/start-help/callback-data.ts";
import {
  newStrategyConfirm,
  newStrategyKind,
  paramAnswer,
} from "../../src/bot/features/strategies/callback-data.ts";
import { COMMON_TIME_ZONES } from "../../src/bot/keyboards.ts";
import { buttonOwnerGuard } from "../../src/bot/middlewares/button-owner.ts";
import { PAGED_LISTS, type PagedList, pageData, parsePageData } from "../../src/bot/pagination.ts";
import { SUPPORTED_LOCALES } from "../../src/config.ts";
import { tagOwner } from "../../src/lib/button-owner.ts";
import { isValidTimeZone } from "../../src/lib/time.ts";
import { STRATEGY_KINDS } from "../../src/strategies/types.ts";

type Read = (data: string) => unknown;

interface Family {
  /** the callback data prefix, for random data */
  prefix: string;
  /** every button the conversation makes, as it wrote them before */
  buttons: Array<{ before: string; now: () => string }>;
  before: Read;
  now: Read;
}

const match = (pattern: RegExp) => (data: string) => data.match(pattern)?.[1] ?? null;

const NA_STEPS = {
  kind: "k",
  interval: "i",
  direction: "d",
  line: "m",
  window: "w",
  band: "b",
  multiplier: "x",
  repeat: "o",
} as const;
// every value /newalert offers under each question
const NA_VALUES: Record<keyof typeof NA_STEPS, string[]> = {
  kind: ["price", "move", "rsi", "ma", "macd", "bb", "atr", "vol", "pnl", "dd"],
  interval: ["15m", "1h", "4h", "1d"],
  direction: ["above", "below", "up", "down", "any"],
  line: ["price", "ema20", "ema50", "sma50", "sma100", "sma200"],
  window: ["15m", "1h", "4h", "1d"],
  band: ["upper", "lower"],
  multiplier: ["1.5", "2", "3", "5"],
  repeat: ["once", "15m", "1h", "4h", "1d"],
};

const SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "AAPL", "NVDA", "SPY", "BRK.B"];
const ORDER_TYPES = ["MARKET", "LIMIT", "STOP", "STOP_LIMIT", "TRAILING"] as const;
const TIFS = ["GTC", "IOC", "FOK", "DAY"] as const;

/** parsePageData as it was before the codec */
function pageBefore(data: string) {
  const m = data.match(/^pg:([a-z]+):(\d{1,5})(?::([A-Za-z0-9_-]{1,32}))?$/);
  if (!m) return null;
  const list = PAGED_LISTS.find((l) => l === m[1]);
  const page = Number(m[2]);
  if (!list || page < 1) return null;
  return { list, page, arg: m[3] ?? "" };
}
const PAGE_ARGS = ["", "open", "filled", "canceled", "all", "today", "week", "month", "pending"];

/** The zone onboarding takes from a press: read, then checked as a time zone. */
const zoneTaken = (pressed: string | null | undefined) =>
  pressed && isValidTimeZone(pressed) ? pressed : null;

const FAMILIES: Record<string, Family> = {
  "oe:side": {
    prefix: "oe:side:",
    buttons: (["BUY", "SELL"] as const).map((side) => ({
      before: `oe:side:${side}`,
      now: () => entrySide.pack({ side }),
    })),
    before: match(/^oe:side:(BUY|SELL)$/),
    now: (d) => entrySide.unpack(d)?.side ?? null,
  },
  "oe:sym": {
    prefix: "oe:sym:",
    buttons: SYMBOLS.map((s) => ({
      before: `oe:sym:${s}`,
      now: () => entrySymbol.pack({ symbol: s }),
    })),
    before: match(/^oe:sym:([A-Z0-9.]+)$/),
    now: (d) => entrySymbol.unpack(d)?.symbol ?? null,
  },
  "oe:type": {
    prefix: "oe:type:",
    buttons: ORDER_TYPES.map((k) => ({
      before: `oe:type:${k}`,
      now: () => entryType.pack({ type: k }),
    })),
    before: match(/^oe:type:([A-Z_]+)$/),
    now: (d) => entryType.unpack(d)?.type ?? null,
  },
  "oe:tif": {
    prefix: "oe:tif:",
    buttons: TIFS.map((k) => ({
      before: `oe:tif:${k}`,
      now: () => entryTimeInForce.pack({ tif: k }),
    })),
    before: match(/^oe:tif:([A-Z]+)$/),
    now: (d) => entryTimeInForce.unpack(d)?.tif ?? null,
  },
  ...Object.fromEntries(
    (Object.keys(NA_STEPS) as (keyof typeof NA_STEPS)[]).map((name) => {
      const step = NA_STEPS[name];
      const family: Family = {
        prefix: `na:${step}:`,
        buttons: NA_VALUES[name].map((v) => ({
          before: `na:${step}:${v}`,
          now: () => newAlertStep[name].pack({ value: v }),
        })),
        before: match(new RegExp(`^na:${step}:([\\w.%-]+)$`)),
        now: (d) => newAlertStep[name].unpack(d)?.value ?? null,
      };
      return [`na:${step}`, family];
    }),
  ),
  "sn:k": {
    prefix: "sn:k:",
    buttons: STRATEGY_KINDS.map((k) => ({
      before: `sn:k:${k}`,
      now: () => newStrategyKind.pack({ kind: k }),
    })),
    before: match(/^sn:k:([a-z-]+)$/),
    now: (d) => newStrategyKind.unpack(d)?.kind ?? null,
  },
  "sn:v": {
    prefix: "sn:v:",
    buttons: [0, 1, 2, 3, 11].map((i) => ({
      before: `sn:v:${i}`,
      now: () => paramAnswer.pack({ index: i }),
    })),
    // the answer at that position
    before: (d) => {
      const m = match(/^sn:v:(\d+)$/)(d);
      return m === null ? null : Number(m);
    },
    now: (d) => paramAnswer.unpack(d)?.index ?? null,
  },
  "sn:c": {
    prefix: "sn:c:",
    buttons: (["yes", "no"] as const).map((a) => ({
      before: `sn:c:${a}`,
      now: () => newStrategyConfirm.pack({ answer: a }),
    })),
    before: match(/^sn:c:(yes|no)$/),
    now: (d) => newStrategyConfirm.unpack(d)?.answer ?? null,
  },
  "onb:lang": {
    prefix: "onb:lang:",
    buttons: SUPPORTED_LOCALES.map((l) => ({
      before: `onb:lang:${l}`,
      now: () => onboardingLanguage.pack({ language: l }),
    })),
    // the conversation waits for a press its filter matches, then reads the language
    before: match(/^onb:lang:(en|ru)$/),
    now: (d) =>
      onboardingLanguage.filter.test(d) ? (onboardingLanguage.unpack(d)?.language ?? "en") : null,
  },
  "onb:tz": {
    prefix: "onb:tz:",
    buttons: COMMON_TIME_ZONES.map((z) => ({
      before: `onb:tz:${z}`,
      now: () => onboardingZone.pack({ zone: z }),
    })),
    before: (d) => zoneTaken(match(/^onb:tz:(.+)$/)(d)),
    now: (d) => zoneTaken(onboardingZone.unpack(d)?.zone),
  },
  "onb:skip": {
    prefix: "onb:skip",
    buttons: [{ before: "onb:skip", now: () => skipNote.pack({}) }],
    before: (d) => (d === "onb:skip" ? "skip" : null),
    now: (d) => (skipNote.unpack(d) !== null ? "skip" : null),
  },
  pg: {
    prefix: "pg:",
    buttons: PAGED_LISTS.flatMap((list: PagedList) =>
      [1, 2, 10, 99_999].flatMap((page) =>
        PAGE_ARGS.map((arg) => ({
          before: `pg:${list}:${page}${arg ? `:${arg}` : ""}`,
          now: () => pageData({ list, page, arg }),
        })),
      ),
    ),
    before: pageBefore,
    now: parsePageData,
  },
};

/**
 * The only presses read differently, all forged (no button makes them), each now answered as a
 * press no button makes (stale, the question asked again) or, for pages, shown as that page:
 * - "sn:v:" with an index of 17 digits or more (before: the answer at that position, which no
 *   question has, read as "skipped");
 * - "pg:" with a page written in more than five digits with zeros in front ("pg:orders:000002":
 *   before refused, now page 2);
 * - "onb:tz:" with a ":" in the zone (before: checked as a zone, which runtimes that know offset
 *   zones such as "+05:00" accept; the same zone can still be typed).
 */
function knownChange(family: string, data: string): boolean {
  if (family === "sn:v") return /^sn:v:\d{17,}$/.test(data);
  if (family === "pg") return /^pg:[a-z]+:0\d{5,}(:|$)/.test(data);
  if (family === "onb:tz") return /^onb:tz:.*:/.test(data);
  return false;
}

/** The same data as it reaches a handler in a private chat, tagged or not, and malformed. */
function variants(data: string, prefix: string): string[] {
  const value = data.slice(prefix.length);
  return [
    data,
    tagOwner(data, 7201),
    `${data}~`,
    `${data}:`,
    `${data}:1`,
    ` ${data}`,
    `${data} `,
    `${data}\n`,
    data.toUpperCase(),
    data.toLowerCase(),
    `x${data}`,
    prefix,
    `${prefix}${value}${value}`,
    `${prefix}0${value}`,
    `${prefix}000000${value}`,
  ];
}

const ODD_VALUES = [
  "",
  " ",
  "a:b",
  "a~b",
  "~",
  "x y",
  "ж",
  "Ab",
  "AB_C",
  "a-b",
  "A-B",
  "BTC-USDT",
  "BTC/USDT",
  "a.b",
  "50%",
  "1.5",
  "0",
  "00",
  "000000",
  "0000002",
  "100000",
  "99999999999999999",
  "123456789012345678901",
  "+05:00",
  "Etc/GMT+5",
  "Europe/Berlin",
  "europe/berlin",
  "UTC~1",
  "en",
  "ru",
  "de",
  "yes",
  "YES",
  "BUY",
  "buy",
  "mean-reversion",
  "open",
  "1",
  "1:open",
  "1:open:x",
  "2:a~b",
  "orders:1",
  "orders:000002",
  "orders:100000",
  "orders:99999",
  "trades:3:week",
  "secrets:1",
];

const pressedBy = (f: Family, data: string) => ({ before: f.before(data), now: f.now(data) });

describe("conversation step buttons and pager buttons through the codecs", () => {
  it("write every button as the same string as before", () => {
    for (const [name, family] of Object.entries(FAMILIES))
      for (const b of family.buttons) expect([name, b.now()]).toEqual([name, b.before]);
  });

  it("read every button, tagged copies and malformed data as before", () => {
    for (const [name, family] of Object.entries(FAMILIES)) {
      const corpus = new Set<string>();
      for (const b of family.buttons)
        for (const v of variants(b.before, family.prefix)) corpus.add(v);
      for (const odd of ODD_VALUES) corpus.add(`${family.prefix}${odd}`);
      for (const data of corpus) {
        if (knownChange(name, data)) continue;
        expect([name, data, pressedBy(family, data).now]).toEqual([
          name,
          data,
          pressedBy(family, data).before,
        ]);
      }
      // a button's own data is read (a press no one can read would be a dead button)
      for (const b of family.buttons)
        expect([b.before, family.now(b.before)]).not.toEqual([b.before, null]);
    }
  });

  it("read random data after each prefix as before (property)", () => {
    const alphabet = [..."AZaz09_.%-~: /+жé\n", "BUY", "en", "1", "0", "week", "orders"];
    const tail = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((a) => a.join(""));
    for (const [name, family] of Object.entries(FAMILIES))
      fc.assert(
        fc.property(tail, (rest) => {
          const data = `${family.prefix}${rest}`;
          if (knownChange(name, data)) return;
          expect(family.now(data)).toEqual(family.before(data));
        }),
        { numRuns: 300 },
      );
  });

  it("the known changes are forged data only, now refused or read as the page it names", () => {
    expect(FAMILIES["sn:v"]!.before("sn:v:12345678901234567")).toBe(Number("12345678901234567"));
    expect(FAMILIES["sn:v"]!.now("sn:v:12345678901234567")).toBeNull();
    expect(pageBefore("pg:orders:000002")).toBeNull();
    expect(parsePageData("pg:orders:000002")).toEqual({ list: "orders", page: 2, arg: "" });
    expect(FAMILIES["onb:tz"]!.now("onb:tz:+05:00")).toBeNull();
    for (const [name, family] of Object.entries(FAMILIES))
      for (const b of family.buttons) expect(knownChange(name, b.before)).toBe(false);
  });
});

interface GuardOutcome {
  passedData: string | null;
  toast: string | null;
}

/** A press through the button-owner guard, as the bot runs it before any conversation. */
async function throughGuard(
  data: string,
  chat: { id: number; type: "private" | "supergroup" },
  from: number,
): Promise<GuardOutcome> {
  const outcome: GuardOutcome = { passedData: null, toast: null };
  const query = { id: "1", data, from: { id: from }, message: { chat } };
  const ctx = {
    callbackQuery: query,
    from: { id: from },
    update: { update_id: 1 },
    deps: { logger: { info: () => undefined } },
    t: (key: string) => key,
    answerCallbackQuery: async (o: { text: string }) => {
      outcome.toast = o.text;
      return true;
    },
    api: { config: { use: () => undefined } },
  } as unknown as BotContext;
  await buttonOwnerGuard()(ctx, async () => {
    outcome.passedData = query.data;
  });
  return outcome;
}

describe("step buttons and the owner tag", () => {
  const OWNER = 7201;
  const OTHER = 7202;
  const group = { id: -1007203, type: "supergroup" as const };
  const all = Object.entries(FAMILIES).flatMap(([name, f]) =>
    f.buttons.map((b) => ({ name, family: f, data: b.now() })),
  );

  it("in a group the owner's press is read as the bare button, before and now", async () => {
    for (const { name, family, data } of all) {
      const tagged = tagOwner(data, OWNER);
      const outcome = await throughGuard(tagged, group, OWNER);
      expect([name, outcome]).toEqual([name, { passedData: data, toast: null }]);
      const read = pressedBy(family, outcome.passedData!);
      expect(read.now).toEqual(read.before);
      expect(read.now).not.toBeNull();
    }
  });

  it("in a group anyone else's press, and an untagged copy, is refused before it is read", async () => {
    for (const { data } of all) {
      expect(await throughGuard(tagOwner(data, OWNER), group, OTHER)).toEqual({
        passedData: null,
        toast: "button-not-yours",
      });
      expect((await throughGuard(data, group, OWNER)).passedData).toBeNull();
    }
  });

  it("in a private chat the data is passed whole: a tagged copy is read by neither", async () => {
    for (const { name, family, data } of all) {
      const tagged = tagOwner(data, OWNER);
      const outcome = await throughGuard(tagged, { id: OWNER, type: "private" }, OWNER);
      expect(outcome.passedData).toBe(tagged);
      const read = pressedBy(family, tagged);
      expect([name, tagged, read]).toEqual([name, tagged, { before: null, now: null }]);
    }
  });
});
