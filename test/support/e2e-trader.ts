// What most end-to-end tests start from: an approved trader with a paper account and portfolio,
// reachable through the Telegram twin, and the two moves a user makes — say something, press a
// button — each waiting for the bot's answer that matches.
import type { InlineKeyboardMarkup } from "grammy/types";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { Decimal } from "../../src/lib/decimal.ts";
import { ADMIN_ID, type Harness } from "./app-harness.ts";
import type { SimulatedUser, TwinMessage } from "./telegram-twin/index.ts";

export type Match = (text: string, message: TwinMessage) => boolean;

export const textOf = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";

export const buttonsOf = (m: TwinMessage) =>
  ((m.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard ?? []).flat();

/** Sends a message and waits for the first answer in the user's chat that matches. */
export async function say(
  h: Harness,
  user: SimulatedUser,
  message: string,
  match: Match = (t) => t.length > 0,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.send(message);
  return h.twin.waitForMessage(user.chatId, (m) => match(textOf(m), m), {
    since,
    timeoutMs: 10_000,
  });
}

/** Presses a button (by its text) and waits for the message, new or edited, that matches. */
export async function press(
  h: Harness,
  user: SimulatedUser,
  message: TwinMessage,
  button: string,
  match: Match,
): Promise<TwinMessage> {
  const since = h.twin.mark();
  user.press(message, button);
  return h.twin.waitForMessage(user.chatId, (m) => match(textOf(m), m), {
    since,
    timeoutMs: 10_000,
  });
}

export interface Trader {
  user: SimulatedUser;
  actor: Actor;
  accountId: number;
  portfolioId: number;
}

/**
 * Registers and approves a trader (the admin approving), with their private chat, a paper
 * account in `currency` holding `cash`, and one portfolio on it (named `portfolio`).
 */
export async function approvedTrader(
  h: Harness,
  options: {
    telegramId: number;
    firstName: string;
    language?: "en" | "ru";
    currency?: string;
    cash?: string;
    portfolio?: string;
  },
): Promise<Trader> {
  const { users, portfolios, chats } = h.app.services;
  const language = options.language ?? "en";
  const admin = toActor(
    await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
  );
  const row = await users.registerFromTelegram({
    telegramUserId: String(options.telegramId),
    firstName: options.firstName,
    languageCode: language,
  });
  const actor = toActor(await users.approve(admin, row.id));
  await chats.registerPrivateChat(actor.id, String(options.telegramId));
  const user = h.twin.user({
    id: options.telegramId,
    first_name: options.firstName,
    language_code: language,
  });
  const account = await portfolios.createAccount(actor, {
    brokerCode: "PAPER",
    name: `${options.firstName} paper`,
    baseCurrency: options.currency ?? "USDT",
    openingBalance: new Decimal(options.cash ?? "100000"),
  });
  const portfolio = await portfolios.createPortfolio(actor, {
    accountId: account.id,
    name: options.portfolio ?? "Main",
  });
  return { user, actor, accountId: account.id, portfolioId: portfolio.id };
}
