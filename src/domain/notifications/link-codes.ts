// One-time codes a user posts in a group or channel to link it as a notification destination.
// Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), so they survive being
// read off one screen and typed on another: 31^8 ≈ 8.5e11 codes, valid for 15 minutes.
import { randomInt } from "node:crypto";

export const LINK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const LINK_CODE_LENGTH = 8;
export const LINK_CODE_TTL_MS = 15 * 60 * 1000;

export function generateLinkCode(): string {
  let code = "";
  for (let i = 0; i < LINK_CODE_LENGTH; i++) {
    code += LINK_CODE_ALPHABET[randomInt(LINK_CODE_ALPHABET.length)];
  }
  return code;
}

/**
 * The code as stored, from what someone typed: case, spaces and dashes are forgiven. Null when
 * it cannot be a code at all.
 */
export function normalizeLinkCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== LINK_CODE_LENGTH) return null;
  for (const c of code) if (!LINK_CODE_ALPHABET.includes(c)) return null;
  return code;
}
