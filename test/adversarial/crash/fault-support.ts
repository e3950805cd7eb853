// What the database fault checks share: a trader buying through the bot (order card, Confirm,
// the filled answer), the apology an unexpected error gets, and the checks after a fault — every
// order the bot called filled is there and filled, and the database invariants hold.
import { expect } from "vitest";
import type { Harness } from "../../support/app-harness.ts";
import { type Trader, textOf } from "../../support/e2e-trader.ts";
import type { TwinMessage } from "../../support/telegram-twin/index.ts";
import { databaseViolations } from "../fuzz/db-invariants.ts";

/** The error boundary's answer to an unexpected error (locales/en/core.ftl error-unexpected). */
export const APOLOGY = /^Sorry, something went wrong on my side\. Nothing was changed\. \(ref /;

/**
 * filled: the answer said so; deferred: the order was saved but could not be sent now, or was
 * sent but its fill not recorded yet, and the sync job finishes it (the card says so); apology:
 * nothing was done.
 */
export type Outcome = { kind: "filled" | "deferred"; orderId: number } | { kind: "apology" };

const FILLED = /Order #(\d+) filled/;
// saved but not sent, or sent but its fill not yet recorded: the sync job finishes either
const DEFERRED = /Order #(\d+) (is saved but the broker could not be reached|is working)/;

/**
 * One market buy through the bot: `/buy`, then Confirm on the card. Either step may meet the
 * fault and be answered with the apology instead; anything else (silence included) fails.
 */
export async function buyThroughBot(
  h: Harness,
  trader: Trader,
  timeoutMs = 30_000,
): Promise<Outcome> {
  const card = await waitAnswer(h, trader, () => trader.user.send("/buy BTCUSDT 0.001"), {
    match: (t) => /Confirm order/.test(t) || APOLOGY.test(t),
    timeoutMs,
  });
  if (APOLOGY.test(textOf(card))) return { kind: "apology" };
  return confirmThroughBot(h, trader, card, timeoutMs);
}

/** Presses ✅ Confirm on an order card: the order's write happens here. */
export async function confirmThroughBot(
  h: Harness,
  trader: Trader,
  card: TwinMessage,
  timeoutMs = 30_000,
): Promise<Outcome> {
  const since = h.twin.mark();
  const query = trader.user.press(card, "✅ Confirm");
  // the answer: the card turned into the result, or the apology (in the chat, or as the press's
  // toast)
  const done = await h.twin
    .waitFor(
      () => {
        const message = h.twin
          .messages(trader.user.chatId)
          .find(
            (m) =>
              !m.deleted &&
              m.revision > since &&
              ((m.message_id === card.message_id &&
                (FILLED.test(textOf(m)) || DEFERRED.test(textOf(m)))) ||
                APOLOGY.test(textOf(m))),
          );
        if (message) return textOf(message);
        return h.twin.callbackAnswers.find(
          (a) => a.callback_query_id === query.id && APOLOGY.test(a.text ?? ""),
        )?.text;
      },
      { timeoutMs, description: "the filled order or the apology" },
    )
    .catch((e: unknown) => {
      const seen = h.twin
        .messages(trader.user.chatId)
        .filter((m) => m.revision > since)
        .map((m) => `#${m.message_id}: ${textOf(m)}`);
      const answers = h.twin.callbackAnswers.filter((a) => a.callback_query_id === query.id);
      throw new Error(
        `${String(e)}\nsince the press: ${JSON.stringify(seen)}\nits answers: ${JSON.stringify(answers)}\ncard: ${textOf(card)}`,
      );
    });
  const filled = FILLED.exec(done);
  if (filled) return { kind: "filled", orderId: Number(filled[1]) };
  const deferred = DEFERRED.exec(done);
  return deferred ? { kind: "deferred", orderId: Number(deferred[1]) } : { kind: "apology" };
}

async function waitAnswer(
  h: Harness,
  trader: Trader,
  send: () => void,
  options: { match: (text: string) => boolean; timeoutMs: number },
): Promise<TwinMessage> {
  const since = h.twin.mark();
  send();
  return h.twin.waitForMessage(trader.user.chatId, (m) => options.match(textOf(m)), {
    since,
    timeoutMs: options.timeoutMs,
  });
}

/** The orders of the outcomes that have one (filled, or deferred to the sync job). */
export const orderIds = (outcomes: Outcome[]) =>
  outcomes.flatMap((o) => (o.kind === "apology" ? [] : [o.orderId]));

/**
 * Every order the bot reported filled or deferred is in the database, filled (the deferred ones
 * once the sync job has sent them); the invariants hold.
 */
export async function expectNothingLost(h: Harness, filled: number[]): Promise<void> {
  const db = h.app.database.prisma;
  const settled = () => db.order.count({ where: { id: { in: filled }, status: "FILLED" } });
  // a deferred order is sent by the sync job after its grace period (5 s)
  for (let i = 0; i < 40 && (await settled()) < filled.length; i++) {
    await h.app.jobs.runNow("order-sync");
    await new Promise((r) => setTimeout(r, 500));
  }
  const rows = await db.order.findMany({
    where: { id: { in: filled } },
    select: { id: true, status: true },
    orderBy: { id: "asc" },
  });
  expect(rows.map((r) => [r.id, r.status])).toEqual(
    [...filled].sort((a, b) => a - b).map((id) => [id, "FILLED"]),
  );
  expect(await databaseViolations(h.app)).toEqual([]);
}
