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
import type { NotificationInput } from "../domain/notifications/notification-service.ts";
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
    recipient: User,
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
   * Renders for the recipient (or each admin, for system-wide) and enqueues, in `within`'s
   * transaction when a domain callback handed one over (a fill's notification is written with
   * the fill), else in one of its own. `chatId` sends to one of the recipient's chats only (a
   * schedule's destination).
   */
  async send(n: OutgoingNotification, within?: DbOrTx): Promise<number> {
    const recipients = await this.services.notifications.recipients(n.userId, within);
    let created = 0;
    for (const user of recipients) {
      const locale = this.localeOf(user);
      const { title, body, markup } = n.render(translatorFor(this.i18n, locale), locale, user);
      const notification: NotificationInput = {
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
      };
      created += within
        ? await this.services.notifications.enqueue(within, notification)
        : await this.services.notifications.enqueueNow(notification);
    }
    return created;
  }
}
