// The broker gateway: what every broker adapter implements (the paper broker now, ccxt exchanges
// later) and all the domain knows about a broker. Shaped after what exchanges actually offer, so
// a ccxt adapter maps onto it one call per method:
//   placeOrder      → createOrder(symbol, type, side, amount, price, { clientOrderId, triggerPrice,
//                     trailingPercent/trailingAmount, timeInForce }); a venue refusal (ccxt
//                     InvalidOrder, InsufficientFunds) becomes a REJECTED GatewayOrder;
//   cancelOrder     → cancelOrder(id, symbol) (ccxt OrderNotFound → BrokerOrderNotFoundError);
//   fetchOrder      → fetchOrder(id, symbol) or by clientOrderId ({ origClientOrderId });
//   fetchOpenOrders → fetchOpenOrders();
//   fetchFillsSince → fetchMyTrades(symbol, since) per traded symbol, the cursor encoding the
//                     last trade id/time per symbol;
//   balances        → fetchBalance() (free/used);
//   costModel       → market.maker / market.taker.
// Money crosses this boundary as Decimal only (a ccxt adapter reads the exchange's strings from
// `.info`, never ccxt's floats).
import type {
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from "../db/generated/sqlite/enums.ts";
import type { Decimal } from "../lib/decimal.ts";

export type { OrderSide, OrderStatus, OrderType, TimeInForce };

export interface BrokerCapabilities {
  orderTypes: readonly OrderType[];
  timeInForce: readonly TimeInForce[];
  /** may an account sell what it does not hold */
  shortSelling: boolean;
  /** may an order fill in several parts */
  partialFills: boolean;
  /**
   * the account may also be traded outside TradeDesk (by hand on the exchange's site): the sync
   * records orders and fills it does not know as external orders instead of only auditing them
   */
  externalOrders?: boolean;
  /**
   * the venue links two orders as one-cancels-the-other itself (Binance's order lists): the
   * gateway implements placeOcoPair, the pair holds the balance once, and the venue cancels one
   * leg when the other starts to execute. Bracket exits then go out as one pair; otherwise the
   * domain emulates them (trading/brackets.ts). Absent: false.
   */
  nativeOco?: boolean;
}

export interface PlaceOrderRequest {
  /** the domain's idempotency key: placing the same one twice returns the existing order */
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  quantity: Decimal;
  price?: Decimal | null;
  stopPrice?: Decimal | null;
  trailAmount?: Decimal | null;
  /** percent, e.g. 1.5 for 1.5 % */
  trailPercent?: Decimal | null;
  /** DAY orders: the end of the user's trading day, computed by the domain */
  expiresAt?: Date | null;
}

/**
 * A one-cancels-the-other exit pair for a holding: a take-profit limit and a stop-loss (a stop
 * market, or a stop limit when `stopLoss.limitPrice` is given) on the same side and quantity.
 */
export interface PlaceOcoRequest {
  /** the pair's own id at the venue (Binance listClientOrderId); idempotency key of the pair */
  listClientOrderId: string;
  symbol: string;
  side: OrderSide;
  quantity: Decimal;
  takeProfit: { clientOrderId: string; price: Decimal };
  stopLoss: { clientOrderId: string; stopPrice: Decimal; limitPrice?: Decimal | null };
}

/** Both legs as the venue reports them; both REJECTED (same reason) when it refused the pair. */
export interface OcoPairResult {
  takeProfit: GatewayOrder;
  stopLoss: GatewayOrder;
}

/** An order by the broker's id, the client's id, or both. */
export interface OrderRef {
  brokerOrderId?: string | null;
  clientOrderId?: string | null;
  /** the order's symbol when the caller knows it (exchanges such as Binance look orders up per symbol) */
  symbol?: string | null;
}

/** An order as the broker reports it. */
export interface GatewayOrder {
  brokerOrderId: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  quantity: Decimal;
  filledQuantity: Decimal;
  price: Decimal | null;
  /** for trailing stops: the current trigger level */
  stopPrice: Decimal | null;
  trailAmount: Decimal | null;
  trailPercent: Decimal | null;
  status: OrderStatus;
  /**
   * why the broker rejected, expired or canceled it, as a short code ("expired-ioc",
   * "unknown-symbol", ...); null for user cancels and live orders
   */
  rejectReason?: string | null;
  updatedAt: Date;
}

/** One execution (a trade of ours) as the broker reports it. */
export interface GatewayFill {
  brokerTradeId: string;
  brokerOrderId: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  quantity: Decimal;
  price: Decimal;
  fee: Decimal;
  feeCurrency: string;
  execTime: Date;
}

export interface FillPage {
  /** in the broker's order; every fill after the cursor passed in */
  fills: GatewayFill[];
  /** where to continue from (store it once the fills are ingested); the input cursor when empty */
  cursor: string | null;
  /** more fills are waiting beyond this page */
  hasMore: boolean;
}

export interface AssetBalance {
  free: Decimal;
  locked: Decimal;
}

/** What trading costs, for estimates: rates are fractions (0.001 = 10 bps). */
export interface CostModel {
  makerFeeRate: Decimal;
  takerFeeRate: Decimal;
  /** expected price concession of a taker order against the quote (0 when unknown) */
  slippageRate: Decimal;
}

/** What one run of a simulated venue's matcher did. */
export interface MatchSummary {
  evaluated: number;
  fills: number;
  statusChanges: number;
}

/**
 * Error contract: a venue that refuses an order answers with a REJECTED GatewayOrder (and keeps
 * it, so a retry with the same clientOrderId gets the same answer); transport failures and
 * outages throw (GatewayError or anything else) and leave the caller free to retry, because
 * placement is idempotent on clientOrderId.
 */
export interface BrokerGateway {
  readonly brokerCode: string;
  readonly capabilities: BrokerCapabilities;
  /** idempotent on clientOrderId: placing the same clientOrderId twice returns the existing order */
  placeOrder(req: PlaceOrderRequest): Promise<GatewayOrder>;
  /**
   * Venues with `capabilities.nativeOco` only: places both exits as one linked pair. Same error
   * contract as placeOrder (a refusal: both legs REJECTED; a transport failure throws) and the
   * same idempotency: legs already at the venue (looked up by their clientOrderIds) are returned,
   * never placed a second time.
   */
  placeOcoPair?(req: PlaceOcoRequest): Promise<OcoPairResult>;
  /**
   * Cancels an open order and returns it as it now stands; an order already filled, canceled or
   * expired is returned unchanged (check its status). Throws BrokerOrderNotFoundError when the
   * broker does not know the order.
   */
  cancelOrder(ref: OrderRef): Promise<GatewayOrder>;
  fetchOrder(ref: OrderRef): Promise<GatewayOrder | null>;
  fetchOpenOrders(): Promise<GatewayOrder[]>;
  /** fills after `cursor` (null: from the beginning), oldest first, at most `limit` */
  fetchFillsSince(cursor: string | null, limit?: number): Promise<FillPage>;
  balances(): Promise<Map<string, AssetBalance>>;
  costModel(symbol: string): Promise<CostModel>;
  /**
   * Simulated venues only: evaluates every open order against the current market and records
   * the fills, expiries and triggers. The order-sync job calls it before fetching fills.
   */
  match?(): Promise<MatchSummary>;
}

/**
 * A live account's exchange API credentials in plain text. Only the secret store
 * (domain/credentials) produces them, and only for the broker layer: a gateway factory or a
 * CredentialProbe. Never logged, never put in an error message, an audit row or the outbox.
 */
export interface ExchangeCredentials {
  apiKey: string;
  secret: string;
  /** the passphrase some exchanges add (OKX, KuCoin); Binance has none */
  password?: string;
}

/** Why a probe did not accept a key pair. */
export type CredentialProbeFailure =
  /** the exchange refused the key or the signature (Binance -2015, -1022; HTTP 401) */
  | "invalid-key"
  /** the key works but may not read the account (no "reading" permission, IP not whitelisted) */
  | "permission-denied"
  /** the exchange could not be reached or answered 5xx/429: nothing is known about the key */
  | "unreachable"
  /** this installation has no live adapter (and so no probe) for the broker */
  | "not-configured";

export type CredentialProbeResult =
  /** `canWithdraw`: the key may withdraw funds (false also when the exchange does not say) */
  { ok: true; canWithdraw: boolean } | { ok: false; reason: CredentialProbeFailure };

/**
 * Checks a key pair against the exchange before it is stored, with one read-only call (ccxt:
 * fetchBalance, plus the exchange's API-restrictions endpoint where it has one). Implemented by the
 * live gateway layer (src/brokers/ccxt); the default one (NoLiveProbe) knows no live broker.
 */
export interface CredentialProbe {
  /** true when probe() can check keys of this broker here */
  supports(brokerCode: string): boolean;
  probe(
    brokerCode: string,
    credentials: ExchangeCredentials,
    options: { testnet: boolean },
  ): Promise<CredentialProbeResult>;
}
