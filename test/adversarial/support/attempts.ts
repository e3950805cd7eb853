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
  for (const mark of marks) user.send(`/price ${mark}`);
  const find = (mark: string) =>
    h.twin.messages(user.chatId).find((m) => !m.deleted && textOf(m).includes(`“${mark}”`));
  await h.twin
    .waitFor(() => (marks.every(find) ? true : undefined), { timeoutMs: 30_000 })
    .catch((e: unknown) => {
      throw new Error(`press targets missing: ${marks.filter((m) => !find(m)).join(" ")}`, {
        cause: e,
      });
    });
  return marks.map((m) => find(m)!);
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
  const isSentinel = (m: TwinMessage, mark: string) => new RegExp(`\\b${mark}\\b`).test(textOf(m));
  await h.twin.waitFor(
    () => h.twin.messages(user.chatId).find((m) => isSentinel(m, marks.at(-1)!)),
    { timeoutMs: 30_000 + attempts.length * 500, description: `the answer to ${marks.at(-1)}` },
  );
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
