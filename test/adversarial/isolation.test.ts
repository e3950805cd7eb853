// Cross-user isolation, generated from the command registry (issue 15). Alice owns one of
// everything (test/adversarial/support/two-traders.ts); Bob, approved like her, attacks:
// - every registry command, each identifier slot of its example filled with each of Alice's ids or
//   names, against the same command with an identifier nobody owns: nothing in the database may
//   change, and the two answers must read the same once the identifier is masked (no existence
//   leak) unless RULES says why a command's answer legitimately depends on the value;
// - every command as it comes (no slots): it acts on Bob's own data, leaves Alice's rows alone
//   and never shows her names or figures;
// - every button the bot ever sent Alice (in her chat and in her group), its callback data pressed
//   by Bob in his own chat, and again in her private chat (forged) and in her group, against the
//   same data with her ids swapped for unowned ones.
// A command added to the registry is attacked here without a new test: its example declares its
// slots. Each test counts its attempts and prints them; every failure is listed at the end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFigures } from "./support/figures.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { PROVIDERS } from "../support/db.ts";
import { buttonsOf, say } from "../support/e2e-trader.ts";
import { type Answer, type Attempt, runAttempts } from "./support/attempts.ts";
import { settled, victimRows, wholeDatabase } from "./support/fingerprints.ts";
import { type SlotKind, fill, mask, templatesOf } from "./support/slots.ts";
import { ALICE_ID, GROUP_ID, type TwoTraders, startTwoTraders } from "./support/two-traders.ts";

/**
 * Commands whose example has a number or a name that is not an identifier, and why. `answers`:
 * the answer may depend on the value (it is a price, a level) — it must still never show Alice's
 * data. `writes`: the command legitimately creates Bob's own row from it (an alert at level N, a
 * strategy called N) — Alice's rows must still stay as they are; these run last, so what Bob
 * creates cannot stand in for a slot of another command.
 */
interface Rule {
  reason: string;
  answers?: "may differ";
  writes?: "his own rows";
}
const RULES: Record<string, Rule> = {
  buy: {
    reason: "the number is a limit price: the card prices the order with it",
    answers: "may differ",
  },
  sell: {
    reason: "the number is a limit price: the card prices the order with it",
    answers: "may differ",
  },
  alert: {
    reason: "the number is an RSI level: the alert is saved as Bob's, at that level",
    answers: "may differ",
    writes: "his own rows",
  },
  strategy: {
    reason: "the name is the name Bob gives his own new strategy (names are unique per user)",
    writes: "his own rows",
  },
};

/** A button whose data holds no id of Alice's acts on the presser's own things. */
const NAMES_NOTHING: Rule = {
  reason:
    "the button names nothing of Alice's (a menu position, 'add a chat', 'discard'): it acts on Bob's own settings, drafts and link codes",
  writes: "his own rows",
};

const BATCH = 40;
let forged = 0;

interface Pair {
  label: string;
  victim: Attempt;
  control: Attempt;
  /** the identifiers to mask in each answer */
  victimId: string;
  controlId: string;
  rule: Rule | undefined;
}

/** A fresh /link code is random: masked like an id. */
const LINK_CODE = /(\/link )[A-Z0-9]{8}\b/g;
/** the attempt runner's own markers and the reference of an apology differ per attempt */
const PER_ATTEMPT = /ZZ(TARGET|SENTINEL)\d+|\(ref [\w-]+\)/g;

function render(answer: Answer, id: string): string {
  const lines = answer.messages.map((m) =>
    mask(m, id).replace(LINK_CODE, "$1‹CODE›").replace(PER_ATTEMPT, "‹…›"),
  );
  if (answer.toast !== undefined)
    lines.unshift(`toast: ${mask(answer.toast ?? "", id).replace(PER_ATTEMPT, "‹…›")}`);
  return lines.join("\n");
}

describe.each(PROVIDERS)("Bob against Alice's data, on %s", (provider) => {
  let w: TwoTraders;
  let failures: string[];
  const t = translatorFor(createI18n("en"), "en");

  beforeAll(async () => {
    w = await startTwoTraders(provider);
  });
  afterAll(async () => {
    await w?.h.stop();
  });

  /** Alice's identifiers for a slot kind, each with a same-shaped one nobody owns. */
  function identifiers(kind: SlotKind): Array<{ victim: string; control: string }> {
    const { tokens } = w;
    switch (kind) {
      case "number": {
        // Bob's own ids are his: a number that is also one of them is no attack on Alice
        const bobs = new Set(Object.values(w.bobIds).flat());
        const aliceIds = new Set(Object.values(tokens.ids).flat());
        const numbers = [...aliceIds].filter((n) => !bobs.has(n)).sort((a, b) => a - b);
        // controls of the same sign and size (1–60 is a valid count of days, 90000 is not)
        const free = firstUnused(numbers.length);
        return [
          ...numbers.map((n, i) => ({ victim: String(n), control: String(free[i]) })),
          { victim: tokens.chats[0]!, control: "7390" },
          { victim: tokens.chats[1]!, control: "-1007390" },
        ];
      }
      case "name":
        return tokens.names.map((n, i) => ({
          victim: n,
          control: n.includes(" ") ? `Nobody${i} ledger` : `Nobody${i}`,
        }));
      case "person":
        return [
          { victim: tokens.people[0]!, control: "@nobody_here" },
          { victim: tokens.people[1]!, control: "7309999" },
        ];
      case "code":
        return [{ victim: tokens.code, control: "ZZZZ-ZZZZ" }];
    }
  }

  /** `count` numbers above every id any user owns in any table. */
  function firstUnused(count: number): number[] {
    const taken = [...Object.values(w.tokens.ids), ...Object.values(w.bobIds)].flat();
    const from = Math.max(0, ...taken) + 1;
    return Array.from({ length: count }, (_, i) => from + i);
  }

  async function judge(
    pairs: Pair[],
    unswap: (control: string, pair: Pair) => string = (c) => c,
    size = BATCH,
  ): Promise<number> {
    const { h, bob } = w;
    let attempts = 0;
    for (let i = 0; i < pairs.length; i += size) {
      const batch = pairs.slice(i, i + size);
      const before = await settled(h, () => wholeDatabase(h, bob.user.chatId));
      const aliceBefore = await victimRows(h, w.alice.actor.id);
      const usersBefore = await h.db.db.prisma.user.findMany({ orderBy: { id: "asc" } });
      const answers = await runAttempts(
        h,
        bob.user,
        batch.flatMap((p) => [p.victim, p.control]),
      );
      attempts += batch.length * 2;
      const after = await settled(h, () => wholeDatabase(h, bob.user.chatId));
      const changed = Object.keys(before).filter(
        (table) => JSON.stringify(before[table]) !== JSON.stringify(after[table]),
      );
      const aliceAfter = await victimRows(h, w.alice.actor.id);
      if (JSON.stringify(aliceBefore) !== JSON.stringify(aliceAfter)) {
        failures.push(`[${batch[0]!.label} … ${batch.at(-1)!.label}] changed Alice's rows`);
      }
      if (changed.length > 0 && !batch.every((p) => p.rule?.writes)) {
        const usersAfter = await h.db.db.prisma.user.findMany({ orderBy: { id: "asc" } });
        for (const [k, u] of usersAfter.entries())
          if (JSON.stringify(u) !== JSON.stringify(usersBefore[k]))
            failures.push(`user row ${JSON.stringify(usersBefore[k])} → ${JSON.stringify(u)}`);
        failures.push(
          `[${batch[0]!.label} … ${batch.at(-1)!.label}] changed ${changed.join(", ")}`,
        );
      }
      for (const [j, pair] of batch.entries()) {
        // each answer masked with both identifiers: a small number of Alice's may also be a
        // literal of the text ("from 1 to 60"), masked alike on both sides
        const both = (a: Answer) =>
          mask(mask(render(a, pair.victimId), pair.controlId), pair.victimId);
        const victim = both(answers[2 * j]!);
        const control = unswap(both(answers[2 * j + 1]!), pair);
        const leaked = w.tokens.markers.filter((m) =>
          new RegExp(`(?<![\\w-])${m}(?![\\w])`, "i").test(mask(victim, pair.victimId)),
        );
        if (leaked.length > 0)
          failures.push(`${pair.label}: shows ${leaked.join(", ")}:\n${victim}`);
        if (pair.rule?.answers === undefined && victim !== control)
          failures.push(
            `${pair.label}: answers differently\n--- Alice's\n${victim}\n--- nobody's\n${control}`,
          );
      }
    }
    return attempts;
  }

  it("every registry command sent bare acts on Bob's own data only and never shows Alice's", async () => {
    failures = [];
    const { h, bob } = w;
    const specs = w.h.app.registry.all();
    const aliceBefore = await settled(h, () => victimRows(h, w.alice.actor.id));
    const answers = await runAttempts(
      h,
      bob.user,
      specs.map((spec) => ({ kind: "text", text: `/${spec.name}` })),
    );
    const aliceAfter = await settled(h, () => victimRows(h, w.alice.actor.id));
    expect(aliceAfter, "Alice's rows after Bob's bare commands").toEqual(aliceBefore);
    for (const [i, spec] of specs.entries()) {
      const text = render(answers[i]!, "");
      expect(text, `/${spec.name} answered`).not.toBe("");
      const leaked = w.tokens.markers.filter((m) =>
        new RegExp(`(?<![\\w-])${m}(?![\\w])`, "i").test(text),
      );
      if (leaked.length > 0) failures.push(`/${spec.name}: shows ${leaked.join(", ")}:\n${text}`);
    }
    recordFigures({
      category: "isolation: every registry command sent bare by a second user",
      db: provider,
      attempts: specs.length,
      failures: failures.length,
    });
    expect(failures, failures.join("\n\n")).toEqual([]);
  });

  function slotPairs(): Pair[] {
    const pairs: Pair[] = [];
    for (const spec of w.h.app.registry.all()) {
      for (const template of templatesOf(spec.name, t(spec.exampleKey))) {
        for (const slot of template.slots) {
          for (const { victim, control } of identifiers(slot.kind)) {
            pairs.push({
              label: fill(template, slot.index, victim),
              victim: { kind: "text", text: fill(template, slot.index, victim) },
              control: { kind: "text", text: fill(template, slot.index, control) },
              victimId: victim,
              controlId: control,
              rule: RULES[spec.name],
            });
          }
        }
      }
    }
    return pairs;
  }

  it("every registry command, each identifier slot filled with Alice's ids and names, changes nothing and answers as for an id nobody owns", async () => {
    failures = [];
    const pairs = slotPairs().filter((p) => !p.rule?.writes);
    const attempts = await judge(pairs);
    recordFigures({
      category: "isolation: every id/name slot of every command filled with the first user's ids",
      db: provider,
      attempts,
      failures: failures.length,
    });
    expect(failures, failures.join("\n\n")).toEqual([]);
    expect(new Set(pairs.map((p) => p.label.split(" ")[0])).size).toBeGreaterThan(20);
  }, 240_000);

  /**
   * Bob presses each of Alice's button data, and its twin with her ids swapped for unowned ones,
   * where she sees them: on her last message in her private chat (a forged update: Telegram's
   * sender of a private chat is always its user) and on the bot's last message in her group.
   * Nothing may change (every table but the users, whose names an update refreshes; her chat and
   * group as they were), and her data must be answered exactly like the unowned data.
   */
  async function pressedWhereAliceSees(
    datas: string[],
    controlOf: (data: string) => string,
  ): Promise<number> {
    const { h, alice, bob } = w;
    const mine = h.twin
      .messages(alice.user.chatId)
      .filter((m) => !m.deleted)
      .at(-1)!;
    const group = h.twin
      .messages(GROUP_ID)
      .filter((m) => !m.deleted)
      .at(-1)!;
    const still = () =>
      settled(h, async () => ({ ...(await wholeDatabase(h, bob.user.chatId)), user: null }));
    const before = await still();
    const chats = () => JSON.stringify([h.twin.messages(ALICE_ID), h.twin.messages(GROUP_ID)]);
    const chatsBefore = chats();
    const inHerChat = async (data: string) => {
      const id = `iso-forged-${++forged}`;
      h.twin.injectUpdate({
        callback_query: {
          id,
          from: bob.user.user,
          chat_instance: "forged",
          data,
          message: mine.message,
        },
      });
      // the twin never issued this id, so it refuses the answer: the bot's attempt is what counts
      const call = await h.twin.waitFor(
        () =>
          h.twin
            .callsTo("answerCallbackQuery")
            .find((c) => c.params.callback_query_id === id && c.response !== undefined),
        { timeoutMs: 10_000, description: `the answer to ${id}` },
      );
      return `private: ${JSON.stringify(call.params.text ?? null)}`;
    };
    const inHerGroup = async (data: string) => {
      const query = bob.user.pressButton(group, data, { forge: true });
      const answer = await h.twin.waitForCallbackAnswer(query.id, { timeoutMs: 10_000 });
      return `group: ${JSON.stringify(answer.text ?? null)}`;
    };
    let attempts = 0;
    for (const data of datas) {
      const control = controlOf(data);
      const hers = [await inHerChat(data), await inHerGroup(data)];
      const nobodys = [await inHerChat(control), await inHerGroup(control)];
      attempts += 4;
      if (JSON.stringify(hers) !== JSON.stringify(nobodys))
        failures.push(
          `button ${data} where Alice sees it: ${hers.join(", ")} vs ${nobodys.join(", ")}`,
        );
    }
    const after = await still();
    const changed = Object.keys(before).filter(
      (t) =>
        JSON.stringify(before[t as keyof typeof before]) !==
        JSON.stringify(after[t as keyof typeof after]),
    );
    if (changed.length > 0)
      failures.push(`presses where Alice sees them changed ${changed.join(", ")}`);
    if (chats() !== chatsBefore)
      failures.push("presses where Alice sees them changed her messages");
    return attempts;
  }

  it("every button the bot sent Alice, pressed by Bob in his own chat, in hers and in her group, changes nothing and answers as for ids nobody owns", async () => {
    failures = [];
    const { h, alice } = w;
    // Alice goes through every command once, so every kind of list, card and menu has reached her
    await runAttempts(
      h,
      alice.user,
      h.app.registry.all().map((spec) => ({ kind: "text", text: `/${spec.name}` })),
    );
    await say(h, alice.user, "/buy BTCUSDT 0.01", (t) => /Confirm order/.test(t));
    const sent = [...h.twin.messages(alice.user.chatId), ...h.twin.messages(GROUP_ID)];
    const datas = [
      ...new Set(
        sent.flatMap((m) =>
          buttonsOf(m).flatMap((b) => ("callback_data" in b ? [b.callback_data] : [])),
        ),
      ),
    ];
    const aliceIds = new Set(Object.values(w.tokens.ids).flat().map(String));
    const free = firstUnused(64);
    const swapped = new Map<string, string>();
    const controlOf = (data: string) =>
      data.replace(/(?<=^|[:~])-?\d+(?=$|[:~])/g, (n) => {
        if (!aliceIds.has(n)) return n;
        if (!swapped.has(n)) swapped.set(n, String(free[swapped.size]));
        return swapped.get(n)!;
      });
    const pairs: Pair[] = datas.map((data) => {
      const control = controlOf(data);
      return {
        label: `button ${data}`,
        victim: { kind: "press", data },
        control: { kind: "press", data: control },
        victimId: "",
        controlId: "",
        rule: control === data ? NAMES_NOTHING : undefined,
      };
    });
    // masks each swapped id in the control's answer back to Alice's, so the two compare
    const unswap = (answer: string, pair: Pair) =>
      pair.rule === undefined
        ? [...swapped].reduce(
            (text, [from, to]) => text.replace(new RegExp(`(?<![\\w-])${to}(?![\\w])`, "g"), from),
            answer,
          )
        : answer;
    // one press of Alice's ids at a time, so a change is pinned on its button
    const attempts =
      (await judge(
        pairs.filter((p) => p.rule === undefined),
        unswap,
        1,
      )) + (await judge(pairs.filter((p) => p.rule !== undefined)));
    const where = await pressedWhereAliceSees(datas, controlOf);
    const kinds = new Set(datas.map((d) => d.split(/[:/]/)[0]));
    recordFigures({
      category: "isolation: every button the first user got, pressed by the second (3 places)",
      db: provider,
      attempts: attempts + where,
      failures: failures.length,
      unit: "presses",
    });
    expect(failures, failures.join("\n\n")).toEqual([]);
    expect(kinds.size, [...kinds].join(" ")).toBeGreaterThanOrEqual(8);
  }, 240_000);
  // last: what Bob creates here (a strategy called "Apex") is his, and would stand in for Alice's
  // names in the attempts above
  it("the commands that create Bob's own rows from a slot leave Alice's rows alone and never show her data", async () => {
    failures = [];
    const pairs = slotPairs().filter((p) => p.rule?.writes);
    const attempts = await judge(pairs);
    recordFigures({
      category: "isolation: commands that create the second user's own rows",
      db: provider,
      attempts,
      failures: failures.length,
    });
    expect(failures, failures.join("\n\n")).toEqual([]);
    expect(pairs.length).toBeGreaterThan(0);
  });
});
