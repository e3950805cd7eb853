// Telegram faults for the adversarial suite (telegram-faults.test.ts): the kinds of failure the
// real Bot API shows (a 429 with retry_after, 500 and 502, a dropped or a hung connection), queued on the
// Telegram twin for one chat or one method, and a conversation driven step by step with a fault
// waiting for the bot's answer at every step. A step passes when its answer arrives anyway,
// exactly once.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { Harness } from "../../support/app-harness.ts";
import { textOf } from "../../support/e2e-trader.ts";
import type { SimulatedUser, TwinMessage } from "../../support/telegram-twin/index.ts";

/** "hang": the connection stays open unanswered until the bot's client times out */
export type FaultKind = "429" | "500" | "502" | "drop" | "hang";
export const FAULT_KINDS: readonly FaultKind[] = ["429", "500", "502", "drop", "hang"];

/** Queues `times` faults of `kind` for calls to `method` and/or in chat `chatId`. */
export function queueFault(
  h: Harness,
  kind: FaultKind,
  where: { method?: string; chatId?: number },
  times = 1,
): void {
  if (kind === "drop") h.twin.failWithNetworkError({ ...where, times });
  else if (kind === "hang") h.twin.hangNext({ ...where, times });
  else if (kind === "429") h.twin.failNext({ ...where, status: 429, retryAfter: 1, times });
  else h.twin.failNext({ ...where, status: Number(kind) as 500 | 502, times });
}

/** Faults the twin has served so far (error replies and dropped connections). */
export function faultsServed(h: Harness): number {
  const s = h.twin.stats();
  return s.faultsInjected + s.networkErrors;
}

export type Step =
  | { say: string; expect: RegExp }
  /** press the button with this label, or whose callback data starts with `data` */
  | { press: string; data?: false; expect: RegExp }
  | { press: string; data: true; expect: RegExp };

const buttons = (m: TwinMessage): InlineKeyboardButton[] =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).flat();

function findTarget(
  h: Harness,
  chatId: number,
  step: Extract<Step, { press: string }>,
): { message: TwinMessage; label: string } {
  const messages = h.twin.messages(chatId).filter((m) => !m.deleted);
  for (const message of messages.reverse()) {
    const button = buttons(message).find((b) =>
      step.data
        ? "callback_data" in b && b.callback_data.startsWith(step.press)
        : b.text === step.press,
    );
    if (button) return { message, label: button.text };
  }
  throw new Error(`no button ${step.press} in chat ${chatId}`);
}

export interface StepOutcome {
  /** the answer that matched, or null when none came within the wait */
  answer: TwinMessage | null;
  /** the texts of the step's messages that matched the answer after the first (duplicate sends) */
  duplicates: string[];
  /** the press's toast never came (a press only) */
  unanswered: boolean;
}

/**
 * Takes one step of a conversation. `fault`: queued for the step's chat (the first send or edit of
 * the answer), or for a press with `onPress`, for its answerCallbackQuery.
 */
export async function takeStep(
  h: Harness,
  user: SimulatedUser,
  step: Step,
  fault: { kind: FaultKind; times: number; onPress?: boolean } | null,
  timeoutMs = 30_000,
): Promise<StepOutcome> {
  const since = h.twin.mark();
  let pressId: string | undefined;
  const onPress = fault?.onPress === true && "press" in step;
  if (fault && !onPress) queueFault(h, fault.kind, { chatId: user.chatId }, fault.times);
  if ("say" in step) {
    user.send(step.say);
  } else {
    const { message, label } = findTarget(h, user.chatId, step);
    if (fault && onPress) queueFault(h, fault.kind, { method: "answerCallbackQuery" }, fault.times);
    pressId = user.press(message, label).id;
  }
  const matches = (m: TwinMessage) => m.revision > since && step.expect.test(textOf(m));
  const answer = await h.twin
    .waitForMessage(user.chatId, (m) => step.expect.test(textOf(m)), { since, timeoutMs })
    .catch(() => null);
  let unanswered = false;
  if (pressId !== undefined)
    await h.twin
      .waitForCallbackAnswer(pressId, { timeoutMs })
      .catch(() => void (unanswered = true));
  // whatever the step's faults did not meet (a step that sent less than expected) goes, so it
  // cannot fall on the next step
  await h.twin.waitForIdle({ timeoutMs });
  h.twin.clearFaults();
  const sent = h.twin.messages(user.chatId).filter(matches);
  return { answer, duplicates: sent.slice(1).map((m) => textOf(m).slice(0, 200)), unanswered };
}
