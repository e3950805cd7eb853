// The orders feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import { ORDER_AMEND, orderAmend } from "./order-amend.ts";
import { ORDER_BRACKET, orderBracket } from "./order-bracket.ts";
import { ORDER_ENTRY, orderEntry } from "./order-entry.ts";
import { ordersFeature, registerOrders } from "./orders.ts";

export const feature: FeatureFactory = () => ({
  name: "orders",
  conversations: [
    [orderEntry, ORDER_ENTRY],
    [orderAmend, ORDER_AMEND],
    [orderBracket, ORDER_BRACKET],
  ],
  register: registerOrders,
  handlers: ordersFeature(),
});
