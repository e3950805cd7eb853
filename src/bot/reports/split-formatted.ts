// Telegram refuses messages over 4096 characters: a long report is sent as several messages,
// cut at line ends (entities such as <pre> blocks are carried over to both halves by slice()).
import { FormattedString } from "@grammyjs/parse-mode";

export const MESSAGE_LIMIT = 4096;

export function splitFormatted(message: FormattedString, limit = MESSAGE_LIMIT): FormattedString[] {
  const parts: FormattedString[] = [];
  let rest = message;
  while (rest.text.length > limit) {
    let cut = rest.text.lastIndexOf("\n", limit);
    if (cut <= 0) {
      cut = limit;
      // never split a surrogate pair (an emoji) in two
      const code = rest.text.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
    }
    parts.push(rest.slice(0, cut));
    rest = rest.slice(rest.text[cut] === "\n" ? cut + 1 : cut);
  }
  if (rest.text.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/**
 * Joins blocks (sections of one long answer) with a blank line into as few messages as fit the
 * limit, starting a new message between blocks rather than inside one; a single block longer
 * than the limit is itself cut at lines.
 */
export function packBlocks(blocks: FormattedString[], limit = MESSAGE_LIMIT): FormattedString[] {
  const messages: FormattedString[] = [];
  let current: FormattedString | null = null;
  for (const block of blocks) {
    if (current === null) {
      current = block;
    } else if (current.text.length + 2 + block.text.length <= limit) {
      current = FormattedString.join([current, block], "\n\n");
    } else {
      messages.push(...splitFormatted(current, limit));
      current = block;
    }
  }
  if (current !== null) messages.push(...splitFormatted(current, limit));
  return messages;
}
