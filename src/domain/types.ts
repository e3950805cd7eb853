// The domain's public types for the layers above it: the bot names users, sides, scopes and
// severities through here and never through the generated Prisma client (the layer rule).
export type { User } from "../db/generated/sqlite/client.ts";
export type {
  ChatType,
  OrderSide,
  OrderType,
  RiskAction,
  RiskScope,
  Severity,
  TimeInForce,
} from "../db/generated/sqlite/enums.ts";
/**
 * The database handle or open transaction a domain call runs in. Opaque to the layers above: the
 * bot only passes along the one a domain callback handed it (a notification written in the same
 * transaction as the fill it reports).
 */
export type { DbOrTx } from "../db/client.ts";
