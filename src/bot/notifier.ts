// Notifications the bot layer composes (approval requests, decisions, fills...): rendered in the
// recipient's own language with grammY's parse-mode helpers, converted to HTML and written to the
// outbox, from where the drain job delivers them within Telegram's limits. Nothing here calls
// Telegram directly.
import type { I18n } from "@grammyjs/i18n";
import type { FormattedString } from "@grammyjs/parse-mode";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { Locale } from "../config.ts";
import type { DbOrTx, Severity, User } from "../domain/types.ts";
import type { NotificationType } from "../domain/notifications/notification-types.ts";
import type { Services } from "../domain/services.ts";
import type { BaseContext } from "./context.ts";
import { toHtml } from "./format/html.ts";
import { type Translate, pickLocale, translatorFor } from "./i18n.ts";

export interface OutgoingNotification {
  userId: number | null;
  type: NotificationType;
  severity: Severity;
  dedupeKey: string;
  render: (
    t: Translate,
    locale: Locale,
  ) => { title: string; body: FormattedString; markup?: InlineKeyboardMarkup };
  /** deliver only to this chat of the recipient (telegram_chats.id) */
  chatId?: number | null;
  /** a PNG sent as a photo with the message */
  attachment?: { bytes: Buffer; fileName: string } | null;
}

export class Notifier {
  constructor(
    private readonly services: Services,
    private readonly i18n: I18n<BaseContext>,
    private readonly defaultLocale: Locale,
  ) {}

  localeOf(user: Pick<User, "language" | "telegramLanguage">): Locale {
    return pickLocale(user.language, user.telegramLanguage, this.defaultLocale);
  }

  translator(user: Pick<User, "language" | "telegramLanguage">): Translate {
    return translatorFor(this.i18n, this.localeOf(user));
  }

  /**
   * Renders for the recipient (or each admin, for system-wide) and enqueues in `db`'s transaction.
   * `chatId` sends to one of the recipient's chats only (a schedule's destination).
   */
  async send(db: DbOrTx, n: OutgoingNotification): Promise<number> {
    // recipients are read through `db`: inside a transaction on SQLite the root client would wait
    // for that very transaction to finish (one connection, serialized)
    const recipients =
      n.userId === null
        ? await db.user.findMany({
            where: { isAdmin: true, isActive: true },
            orderBy: { id: "asc" },
          })
        : await db.user.findMany({ where: { id: n.userId } });
    let created = 0;
    for (const user of recipients) {
      const locale = this.localeOf(user);
      const { title, body, markup } = n.render(translatorFor(this.i18n, locale), locale);
      created += await this.services.notifications.enqueue(db, {
        userId: user.id,
        type: n.type,
        severity: n.severity,
        title,
        message: toHtml(body),
        format: "html",
        dedupeKey: n.dedupeKey,
        replyMarkup: markup ?? null,
        chatId: n.chatId ?? null,
        attachment: n.attachment ?? null,
      });
    }
    return created;
  }
}
