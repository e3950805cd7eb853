// Secrets typed into the chat (exchange API keys) are held here, in this process's memory only,
// between the message that carried them and the domain call that encrypts them. Conversations
// persist every update they receive (their replay log lives in the sessions table), so a secret
// must never reach one: the capture middleware swaps the message text for a token naming an
// entry here, and the conversation redeems the token inside conversation.external() when it
// stores the key. Entries expire, are taken once, and are gone after a restart (the user then
// types the key again).
import { randomBytes } from "node:crypto";

const DEFAULT_TTL_MS = 15 * 60_000;
const MAX_ENTRIES = 1000;

/** The text a captured message carries instead of the secret: `⁣secret:<token>:<deleted|kept>`. */
const MARKER = /^\u2063secret:([0-9a-f]{32}):(deleted|kept)$/;

export interface CapturedSecret {
  token: string;
  /** the message with the secret was deleted from the chat */
  deleted: boolean;
}

export function secretMarker(token: string, deleted: boolean): string {
  return `\u2063secret:${token}:${deleted ? "deleted" : "kept"}`;
}

export function readSecretMarker(text: string | undefined): CapturedSecret | null {
  const m = text?.match(MARKER);
  return m ? { token: m[1]!, deleted: m[2] === "deleted" } : null;
}

interface Entry {
  owner: string;
  value: string;
  expiresAt: number;
}

export class SecretInbox {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = DEFAULT_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps a secret for its owner (the session key of the chat it came from); returns its token. */
  put(owner: string, value: string): string {
    this.sweep();
    if (this.entries.size >= MAX_ENTRIES) {
      // oldest first: Map keeps insertion order
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const token = randomBytes(16).toString("hex");
    this.entries.set(token, { owner, value, expiresAt: this.now() + this.ttlMs });
    return token;
  }

  /** The secret behind a token, once, and only for its owner; null when gone or not theirs. */
  take(owner: string, token: string): string | null {
    this.sweep();
    const entry = this.entries.get(token);
    if (!entry || entry.owner !== owner) return null;
    this.entries.delete(token);
    return entry.value;
  }

  /** Forgets tokens (a conversation that ended without using them). */
  discard(tokens: Iterable<string>): void {
    for (const t of tokens) this.entries.delete(t);
  }

  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, entry] of this.entries)
      if (entry.expiresAt <= now) this.entries.delete(token);
  }
}
