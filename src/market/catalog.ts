// The built-in instrument list: what `npm run db:seed` loads and what the offline market data
// source can price. Trading rules follow the venues' published filters (Binance spot
// PRICE_FILTER / LOT_SIZE / NOTIONAL; US equities trade in whole shares with a 0.01 tick and no
// minimum notional). Reference prices and volatilities only seed the synthetic price paths.

export type AssetTypeCode = "CRYPTO" | "EQUITY" | "ETF" | "FUTURE" | "FOREX";

/** An instrument and its trading rules, as every market data source lists it. */
export interface InstrumentSpec {
  symbol: string;
  exchange: string;
  name: string;
  assetType: AssetTypeCode;
  baseAsset: string;
  /** quote currency */
  currency: string;
  tickSize: string;
  lotSize: string;
  minQty: string;
  minNotional: string;
}

/** A catalog instrument with what the offline generator needs to invent its prices. */
export interface SyntheticInstrumentSpec extends InstrumentSpec {
  /** synthetic price level the offline source starts from */
  referencePrice: string;
  /** annualised volatility of the synthetic path (0.6 = 60 %) */
  annualVolatility: number;
  /** typical daily volume in base units for the synthetic source (derived when absent) */
  dailyVolume?: string;
  /** typical bid/ask spread in basis points for the synthetic source (derived when absent) */
  spreadBps?: number;
}

type CryptoRow = [
  base: string,
  name: string,
  tick: string,
  lot: string,
  price: string,
  vol: number,
  minNotional?: string,
];

// Binance spot USDT pairs: [base, name, tick size, lot size, reference price, volatility]
const CRYPTO: CryptoRow[] = [
  ["BTC", "Bitcoin", "0.01", "0.00001", "91250.00", 0.55],
  ["ETH", "Ethereum", "0.01", "0.0001", "3050.00", 0.7],
  ["BNB", "BNB", "0.01", "0.001", "880.00", 0.55],
  ["SOL", "Solana", "0.01", "0.001", "138.00", 0.9],
  ["XRP", "XRP", "0.0001", "0.1", "2.1500", 0.85],
  ["ADA", "Cardano", "0.0001", "0.1", "0.4200", 0.9],
  ["DOGE", "Dogecoin", "0.00001", "1", "0.15000", 1.0],
  ["TRX", "TRON", "0.0001", "0.1", "0.2800", 0.6],
  ["AVAX", "Avalanche", "0.01", "0.01", "14.50", 1.0],
  ["DOT", "Polkadot", "0.001", "0.01", "2.500", 0.95],
  ["LINK", "Chainlink", "0.01", "0.01", "13.20", 0.95],
  ["LTC", "Litecoin", "0.01", "0.001", "88.00", 0.8],
  ["BCH", "Bitcoin Cash", "0.1", "0.001", "520.0", 0.8],
  ["XLM", "Stellar", "0.0001", "1", "0.2500", 0.85],
  ["ATOM", "Cosmos", "0.001", "0.01", "2.600", 0.95],
  ["UNI", "Uniswap", "0.001", "0.01", "6.100", 1.0],
  ["ETC", "Ethereum Classic", "0.01", "0.01", "13.00", 0.9],
  ["FIL", "Filecoin", "0.001", "0.01", "1.600", 1.05],
  ["APT", "Aptos", "0.001", "0.01", "2.200", 1.05],
  ["ARB", "Arbitrum", "0.0001", "0.1", "0.2200", 1.1],
  ["OP", "Optimism", "0.0001", "0.01", "0.3300", 1.1],
  ["NEAR", "NEAR Protocol", "0.001", "0.1", "1.900", 1.05],
  ["ICP", "Internet Computer", "0.001", "0.01", "4.200", 1.05],
  ["HBAR", "Hedera", "0.00001", "1", "0.14000", 0.95],
  ["VET", "VeChain", "0.00001", "1", "0.01400", 0.95],
  ["AAVE", "Aave", "0.01", "0.001", "185.00", 1.0],
  ["MKR", "Maker", "1", "0.0001", "1500", 0.95],
  ["INJ", "Injective", "0.001", "0.01", "5.800", 1.1],
  ["SUI", "Sui", "0.0001", "0.1", "1.6000", 1.15],
  ["SEI", "Sei", "0.0001", "0.1", "0.1400", 1.15],
  ["TON", "Toncoin", "0.001", "0.01", "1.650", 0.9],
  ["SHIB", "Shiba Inu", "0.00000001", "1", "0.00000850", 1.1],
  ["PEPE", "Pepe", "0.00000001", "1", "0.00000450", 1.3],
  ["RNDR", "Render", "0.001", "0.01", "1.800", 1.15],
  ["ALGO", "Algorand", "0.0001", "1", "0.1400", 0.95],
  ["GRT", "The Graph", "0.00001", "1", "0.04500", 1.05],
  ["SAND", "The Sandbox", "0.0001", "1", "0.1500", 1.05],
  ["MANA", "Decentraland", "0.0001", "1", "0.1600", 1.05],
  ["CRV", "Curve DAO", "0.001", "0.1", "0.420", 1.1],
  ["LDO", "Lido DAO", "0.001", "0.01", "0.700", 1.1],
];

type EquityRow = [
  symbol: string,
  exchange: string,
  name: string,
  type: "EQUITY" | "ETF",
  price: string,
  vol: number,
];

// US listings: whole shares, tick 0.01
const EQUITIES: EquityRow[] = [
  ["AAPL", "NASDAQ", "Apple Inc.", "EQUITY", "271.50", 0.26],
  ["MSFT", "NASDAQ", "Microsoft Corp.", "EQUITY", "478.00", 0.24],
  ["NVDA", "NASDAQ", "NVIDIA Corp.", "EQUITY", "182.40", 0.5],
  ["AMZN", "NASDAQ", "Amazon.com Inc.", "EQUITY", "222.70", 0.32],
  ["GOOGL", "NASDAQ", "Alphabet Inc. Class A", "EQUITY", "292.80", 0.3],
  ["META", "NASDAQ", "Meta Platforms Inc.", "EQUITY", "594.20", 0.38],
  ["TSLA", "NASDAQ", "Tesla Inc.", "EQUITY", "401.30", 0.6],
  ["AMD", "NASDAQ", "Advanced Micro Devices", "EQUITY", "206.00", 0.5],
  ["NFLX", "NASDAQ", "Netflix Inc.", "EQUITY", "108.50", 0.36],
  ["INTC", "NASDAQ", "Intel Corp.", "EQUITY", "35.20", 0.45],
  ["JPM", "NYSE", "JPMorgan Chase & Co.", "EQUITY", "303.10", 0.24],
  ["V", "NYSE", "Visa Inc.", "EQUITY", "331.70", 0.2],
  ["KO", "NYSE", "Coca-Cola Co.", "EQUITY", "71.40", 0.15],
  ["XOM", "NYSE", "Exxon Mobil Corp.", "EQUITY", "117.90", 0.24],
  ["BRK.B", "NYSE", "Berkshire Hathaway Class B", "EQUITY", "507.30", 0.17],
  ["DIS", "NYSE", "Walt Disney Co.", "EQUITY", "110.80", 0.3],
  ["SPY", "NYSEARCA", "SPDR S&P 500 ETF", "ETF", "662.00", 0.16],
  ["QQQ", "NASDAQ", "Invesco QQQ Trust", "ETF", "598.40", 0.21],
  ["IWM", "NYSEARCA", "iShares Russell 2000 ETF", "ETF", "238.10", 0.22],
  ["GLD", "NYSEARCA", "SPDR Gold Shares", "ETF", "375.60", 0.17],
];

export const INSTRUMENT_CATALOG: readonly SyntheticInstrumentSpec[] = [
  ...CRYPTO.map(([base, name, tick, lot, price, vol, minNotional]) => ({
    symbol: `${base}USDT`,
    exchange: "BINANCE",
    name: `${name} / TetherUS`,
    assetType: "CRYPTO" as const,
    baseAsset: base,
    currency: "USDT",
    tickSize: tick,
    lotSize: lot,
    minQty: lot,
    minNotional: minNotional ?? "5",
    referencePrice: price,
    annualVolatility: vol,
  })),
  ...EQUITIES.map(([symbol, exchange, name, type, price, vol]) => ({
    symbol,
    exchange,
    name,
    assetType: type,
    baseAsset: symbol,
    currency: "USD",
    tickSize: "0.01",
    lotSize: "1",
    minQty: "1",
    minNotional: "0",
    referencePrice: price,
    annualVolatility: vol,
  })),
];

export const BROKER_CATALOG = [
  { code: "PAPER", name: "Paper trading (simulated)", isPaper: true },
  { code: "BINANCE", name: "Binance", isPaper: false },
  { code: "IBKR", name: "Interactive Brokers", isPaper: false },
] as const;
