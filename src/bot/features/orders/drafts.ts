// Order drafts between the confirmation card and the Confirm press. They live in the session
// (stored in the database), under a short random token that the card's buttons carry; only the
// person whose session holds the token can act on it, and confirming re-validates everything.
import { randomBytes } from "node:crypto";
import type { SessionData } from "../../context.ts";
import type { OrderDraft } from "./quick-syntax.ts";

export interface StoredDraft {
  draft: OrderDraft;
  createdAt: number;
  /** nearest valid values for a field the last preview rejected (offered as buttons) */
  fix?: { field: string; values: string[] };
  /** the reduced size the user is offered on a REDUCE card: never place more than this */
  acceptedQuantity?: string;
}

const MAX_DRAFTS = 8;
const DRAFT_TTL_MS = 30 * 60_000;

export function putDraft(
  session: SessionData,
  stored: Omit<StoredDraft, "createdAt">,
  now = Date.now(),
): string {
  const token = randomBytes(6).toString("base64url");
  const drafts = Object.entries(session.drafts ?? {})
    .filter(([, d]) => now - d.createdAt < DRAFT_TTL_MS)
    .sort((a, b) => b[1].createdAt - a[1].createdAt)
    .slice(0, MAX_DRAFTS - 1);
  session.drafts = Object.fromEntries([...drafts, [token, { ...stored, createdAt: now }]]);
  return token;
}

export function getDraft(
  session: SessionData,
  token: string | undefined,
  now = Date.now(),
): StoredDraft | null {
  if (!token) return null;
  const found = session.drafts?.[token];
  return found && now - found.createdAt < DRAFT_TTL_MS ? found : null;
}

export function dropDraft(session: SessionData, token: string): void {
  if (session.drafts) delete session.drafts[token];
}

/** The draft with one field replaced (a suggestion button, or an edit). */
export function withField(draft: OrderDraft, field: string, value: string): OrderDraft {
  switch (field) {
    case "quantity":
      return { ...draft, quantity: value, cashAmount: null };
    case "price":
      return { ...draft, price: value };
    case "stopPrice":
      return { ...draft, stopPrice: value };
    case "trailAmount":
      return { ...draft, trailAmount: value };
    case "symbol":
      return { ...draft, symbol: value };
    case "takeProfit":
      return { ...draft, takeProfit: value };
    case "stopLoss":
      return { ...draft, stopLoss: value };
    default:
      return draft;
  }
}
