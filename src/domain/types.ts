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
