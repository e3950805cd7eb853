// The quick syntax for amending an open order:
//   /amend 42 price=2100            (the limit price; the trigger for a stop order)
//   /amend 42 qty=0.8               (the order's new total size, what filled included)
//   /amend #42 price 2100 qty 0.8   ("key value" works as well as "key=value")
//   /amend 42 stop=1900 price=1890  (a stop-limit's trigger and limit)
//   /amend 42                       (no changes: the step-by-step conversation asks for them)
// Numbers are read by the one parser and bounds the order entry uses; the domain checks the rest.
import { type NumberKind, readPositive } from "../../../domain/bounds.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { parseId } from "../../keyboards.ts";

export interface AmendDraft {
  orderId: number;
  price: string | null;
  stopPrice: string | null;
  quantity: string | null;
}

export type AmendParse =
  | { ok: true; draft: AmendDraft }
  | { ok: false; key: string; params: Record<string, string | number> };

const KEYS: Record<string, { field: "price" | "stopPrice" | "quantity"; kind: NumberKind }> = {
  price: { field: "price", kind: "price" },
  limit: { field: "price", kind: "price" },
  stop: { field: "stopPrice", kind: "price" },
  trigger: { field: "stopPrice", kind: "price" },
  qty: { field: "quantity", kind: "quantity" },
  quantity: { field: "quantity", kind: "quantity" },
};

export function parseAmendCommand(args: string): AmendParse {
  const tokens = args
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((token) => {
      // "price=2100" and "price= 2100" read like "price 2100"
      const eq = token.indexOf("=");
      return eq > 0 ? [token.slice(0, eq), token.slice(eq + 1)].filter(Boolean) : [token];
    });
  const orderId = parseId(tokens[0]?.replace(/^#/, ""));
  if (!orderId) return { ok: false, key: "amend-usage", params: {} };
  const draft: AmendDraft = { orderId, price: null, stopPrice: null, quantity: null };
  for (let i = 1; i < tokens.length; i += 2) {
    const word = tokens[i]!.toLowerCase();
    const spec = KEYS[word];
    if (!spec)
      return {
        ok: false,
        key: "amend-syntax-unknown-word",
        params: { word: tokens[i]!.slice(0, 20) },
      };
    const value = tokens[i + 1];
    if (value === undefined)
      return { ok: false, key: "amend-syntax-needs-number", params: { word } };
    try {
      draft[spec.field] = readPositive(spec.field, value, spec.kind).toFixed();
    } catch (e) {
      if (!isDomainError(e)) throw e;
      return { ok: false, key: e.key, params: { ...e.params } };
    }
  }
  return { ok: true, draft };
}
