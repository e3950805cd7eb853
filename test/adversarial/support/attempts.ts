// Many attempts through the Telegram twin at once, each answer told apart from the next. Every
// attempt (a message, or a button press on a bot message in the attacker's own chat) is followed
// by "/cancel" (out of any conversation it opened) and a sentinel "/price ZZSENTINELn", whose
// answer marks where the attempt's answers end. The bot works one update at a time per chat, so
// the attempts can all be queued at once and read afterwards: what the bot sent or edited between
// one sentinel's answer and the next belongs to the attempt in between.
import { type Harness } from "../../support/app-harness.ts";
import { buttonsOf, textOf } from "../../support/e2e-trader.ts";
import type { SimulatedUser, TwinMessage } from "../../support/telegram-twin/index.ts";

export type Attempt = { kind: "text"; text: string } | { kind: "press"; data: string };

export interface Answer {
  /** each message sent or edited in answer, as text plus its button labels, in order */
  messages: string[];
  /** the toast of a button press (null: answered without text; undefined: not a press) */
  toast?: string | null;
}

let sentinels = 0;

/** What the attempt showed the user: text, and button labels (a leak may sit in a label). */
function shown(m: TwinMessage): string {
  const labels = buttonsOf(m).map((b) => `[${b.text}]`);
  return [textOf(m), ...labels].join(" ").trim();
}

/**
 * A fresh bot message in the user's own chat for each press to land on: a press that edits its
 * message must not find it already edited by the press before.
 */
async function pressTargets(
  h: Harness,
  user: SimulatedUser,
  count: number,
): Promise<TwinMessage[]> {
  const marks = Array.from({ length: count }, () => `ZZTARGET${++sentinels}`);
  const since = h.twin.mark();
  for (const mark of marks) user.send(`/price ${mark}`);
  // One pass over the chat per twin event. The check used to walk the whole chat once per mark on
  // every event; after the command attempts Bob's chat holds thousands of messages, and those
  // checks, run in the process the bot runs in, kept the targets' answers from arriving within
  // the wait (the button-press half of this suite failed so, and passes since). The quotes are
  // English or Russian: a settings button pressed by Bob may switch his language.
  const found = new Map<string, TwinMessage>();
  const answered = /[“«](ZZTARGET\d+)[”»]/;
  const collect = () => {
    for (const m of h.twin.messages(user.chatId)) {
      if (m.revision <= since || m.deleted) continue;
      const mark = answered.exec(textOf(m))?.[1];
      if (mark !== undefined && !found.has(mark)) found.set(mark, m);
    }
    return marks.every((m) => found.has(m)) ? true : undefined;
  };
  await h.twin.waitFor(collect, { timeoutMs: 30_000 }).catch((e: unknown) => {
    throw new Error(`press targets missing: ${marks.filter((m) => !found.has(m)).join(" ")}`, {
      cause: e,
    });
  });
  return marks.map((m) => found.get(m)!);
}

export async function runAttempts(
  h: Harness,
  user: SimulatedUser,
  attempts: Attempt[],
): Promise<Answer[]> {
  const targets = await pressTargets(h, user, attempts.filter((a) => a.kind === "press").length);
  const start = h.twin.mark();
  const marks: string[] = [];
  const pressIds: Array<string | undefined> = [];
  for (const attempt of attempts) {
    if (attempt.kind === "text") {
      user.send(attempt.text);
      pressIds.push(undefined);
    } else {
      pressIds.push(user.pressButton(targets.shift()!, attempt.data, { forge: true }).id);
    }
    const mark = `ZZSENTINEL${++sentinels}`;
    marks.push(mark);
    user.send("/cancel");
    user.send(`/price ${mark}`);
  }
  const sentinelOf = (m: TwinMessage) => /\bZZSENTINEL\d+\b/.exec(textOf(m))?.[0];
  const isSentinel = (m: TwinMessage, mark: string) => sentinelOf(m) === mark;
  await h.twin.waitForMessage(user.chatId, (m) => isSentinel(m, marks.at(-1)!), {
    since: start,
    timeoutMs: 30_000 + attempts.length * 500,
  });
  const log = h.twin
    .messages(user.chatId)
    .filter((m) => m.revision > start)
    .sort((a, b) => a.revision - b.revision);
  const answers: Answer[] = [];
  let from = start;
  for (const [i, mark] of marks.entries()) {
    const end = log.find((m) => isSentinel(m, mark))!.revision;
    const messages = log
      .filter((m) => m.revision > from && m.revision < end)
      .map((m) => `${m.deleted ? "(deleted) " : ""}${shown(m)}`);
    const pressId = pressIds[i];
    const answer: Answer = { messages };
    if (pressId !== undefined) {
      const toast = await h.twin.waitForCallbackAnswer(pressId, { timeoutMs: 10_000 });
      answer.toast = toast.text ?? null;
    }
    answers.push(answer);
    from = end;
  }
  return answers;
}
