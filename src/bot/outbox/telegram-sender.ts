// The outbox drain's Telegram side (OutboxSender, src/jobs/outbox/outbox-sender.ts): one part of a
// notification as sendMessage or sendPhoto, the row's buttons under its last part, and a failed
// call classified (telegram-errors.ts) for the drainer's failure policy.
//
// The Api given here must NOT have grammY's auto-retry transformer installed: auto-retry would
// sleep through a 429 inside the call, holding the drainer's slot and hiding the flood from its
// scheduler, which has to pause exactly that chat and keep others going. Give it a plain
// `new Api(token, { apiRoot })` (or the bot's Api before auto-retry is installed).
import { type Api, InputFile } from "grammy";
import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import type {
  OutboxSender,
  OutgoingMessage,
  SendFailure,
} from "../../jobs/outbox/outbox-sender.ts";
import { tagMarkup } from "../../lib/button-owner.ts";
import { classifySendError } from "./telegram-errors.ts";

/** The two Bot API methods the outbox uses (a grammY Api satisfies it). */
type OutboxApi = Pick<Api, "sendMessage" | "sendPhoto">;

export class TelegramOutboxSender implements OutboxSender {
  /** `api`: WITHOUT the auto-retry transformer (see the header) */
  constructor(private readonly api: OutboxApi) {}

  async send(message: OutgoingMessage): Promise<SendFailure | null> {
    try {
      await this.deliver(message);
      return null;
    } catch (err) {
      return classifySendError(err);
    }
  }

  private async deliver(m: OutgoingMessage): Promise<void> {
    const { part } = m;
    // in a group or channel everyone sees the buttons: bind them to the destination's owner
    const keyboard = m.replyMarkup as InlineKeyboardMarkup | null; // stored from the same shape
    const markup = keyboard
      ? {
          reply_markup:
            m.chatType === "PRIVATE" ? keyboard : tagMarkup(keyboard, m.ownerTelegramId),
        }
      : {};
    const bold = (length: number): MessageEntity[] => [{ type: "bold", offset: 0, length }];
    if (part.kind === "text") {
      await this.api.sendMessage(m.telegramChatId, part.text, {
        ...(part.html
          ? { parse_mode: "HTML" as const }
          : part.boldPrefix > 0
            ? { entities: bold(part.boldPrefix) }
            : {}),
        link_preview_options: { is_disabled: true },
        ...markup,
      });
      return;
    }
    const photo = new InputFile(m.attachment!, m.attachmentName ?? "image.png");
    await this.api.sendPhoto(m.telegramChatId, photo, {
      ...(part.caption ? { caption: part.caption } : {}),
      ...(part.caption && part.html ? { parse_mode: "HTML" as const } : {}),
      ...(part.caption && !part.html && part.boldPrefix > 0
        ? { caption_entities: bold(part.boldPrefix) }
        : {}),
      ...markup,
    });
  }
}
