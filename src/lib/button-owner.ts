// Binds inline buttons to the person they were made for. In a private chat only its one user can
// press anything, so the chat itself is the binding. In a group or channel everybody sees the
// same message, so every button sent there carries its owner's Telegram id at the end of its
// callback data ("<data>~<base36 id>"), and a press by anyone else is refused before any handler
// (or menu) sees it. Pure string and plain-object functions: the bot's outgoing transformer and
// the outbox drainer both tag, the bot's guard checks and strips.

/** Separates the data from the owner tag; no callback data of ours contains it. */
export const OWNER_SEPARATOR = "~";
/** Telegram's limit on callback_data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;

export function tagOwner(data: string, ownerTelegramId: number | string): string {
  const tagged = `${data}${OWNER_SEPARATOR}${BigInt(ownerTelegramId).toString(36)}`;
  if (Buffer.byteLength(tagged, "utf8") > MAX_CALLBACK_BYTES) {
    throw new Error(`callback data with its owner tag is over 64 bytes: ${tagged}`);
  }
  return tagged;
}

/**
 * Splits tagged data into the data our handlers know and its owner (null when untagged or when
 * the tag is not a Telegram id).
 */
export function splitOwner(data: string): { data: string; owner: string | null } {
  const at = data.lastIndexOf(OWNER_SEPARATOR);
  if (at < 0) return { data, owner: null };
  const tag = data.slice(at + 1);
  if (!/^[0-9a-z]{1,13}$/.test(tag)) return { data, owner: null };
  return { data: data.slice(0, at), owner: BigInt(parseInt36(tag)).toString() };
}

function parseInt36(tag: string): bigint {
  let n = 0n;
  for (const ch of tag) n = n * 36n + BigInt(parseInt(ch, 36));
  return n;
}

/**
 * Whether a chat id names a private chat: Telegram gives users positive ids and groups, supergroups
 * and channels negative ones ("@username" strings are always public chats).
 */
export function isPrivateChatId(chatId: unknown): boolean {
  if (typeof chatId === "number") return chatId > 0;
  if (typeof chatId === "string") return /^\d+$/.test(chatId);
  return false;
}

interface MarkupLike {
  inline_keyboard?: unknown;
}

/**
 * A copy of a reply markup with every callback button tagged for its owner; anything that is not
 * an inline keyboard is returned as it is. The input is never changed (it may be a stored row).
 */
export function tagMarkup<T>(markup: T, ownerTelegramId: number | string): T {
  const keyboard = (markup as MarkupLike | null | undefined)?.inline_keyboard;
  if (!Array.isArray(keyboard)) return markup;
  return {
    ...markup,
    inline_keyboard: keyboard.map((row: unknown) =>
      Array.isArray(row)
        ? row.map((button: unknown) => {
            const b = button as { callback_data?: unknown };
            if (typeof b?.callback_data !== "string") return button;
            // already tagged (a stored keyboard sent again): keep its owner
            if (splitOwner(b.callback_data).owner !== null) return button;
            return { ...b, callback_data: tagOwner(b.callback_data, ownerTelegramId) };
          })
        : row,
    ),
  } as T;
}
