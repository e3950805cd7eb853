// The buttons of the order card (a draft behind a short token, see drafts.ts) and of /orders:
// "ord:<action>:…" (the handler is orders.ts); and the step buttons of the order-entry
// conversation: "oe:<step>:<value>".
import type { OrderFilter } from "../../../domain/orders/order-queries.ts";
import { callbackData, narrowed } from "../../callback-data.ts";

/** The lists /orders can show, in the order its filter buttons appear. */
export const ORDER_FILTERS = [
  "open",
  "filled",
  "canceled",
  "all",
] as const satisfies readonly OrderFilter[];

const draft = { token: "string" } as const;
export const orderConfirm = callbackData("ord", "ok", draft);
export const orderDiscard = callbackData("ord", "no", draft);
export const orderRefresh = callbackData("ord", "rf", draft);
export const orderEdit = callbackData("ord", "ed", draft);
export const orderBracket = callbackData("ord", "bk", draft);
/** "use this value" under a refused card: the index of the suggestion */
export const orderFix = callbackData("ord", "fx", { token: "string", index: "index" });

const listed = { id: "id", filter: ORDER_FILTERS, page: "id" } as const;
export const ordersPage = callbackData("ord", "pg", { filter: ORDER_FILTERS, page: "id" });
/** "cancel #id?" asked under the list it was pressed in, then "yes" */
export const orderCancelAsk = callbackData("ord", "cq", listed);
export const orderCancel = callbackData("ord", "cx", listed);
export const orderAmend = callbackData("ord", "am", { id: "id" });

// Order entry, step by step: side, symbol, type, time in force. Symbol, type and time in force
// are read as narrowly as before the codec: a symbol of capitals, digits and dots, a type of
// capitals and "_", a time in force of capitals (the conversation checks the values themselves).
export const entrySide = callbackData("oe", "side", { side: ["BUY", "SELL"] });
export const entrySymbol = narrowed(callbackData("oe", "sym", { symbol: "string" }), (v) =>
  /^[A-Z0-9.]+$/.test(v.symbol),
);
export const entryType = narrowed(callbackData("oe", "type", { type: "string" }), (v) =>
  /^[A-Z_]+$/.test(v.type),
);
export const entryTimeInForce = narrowed(callbackData("oe", "tif", { tif: "string" }), (v) =>
  /^[A-Z]+$/.test(v.tif),
);
