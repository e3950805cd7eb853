// ccxt's exception classes, recognised without importing ccxt. ccxt is loaded only when a live
// market-data source or live trading is configured (market/ccxt/client.ts imports it on first
// use), so the offline bot never pays for it (about 160 MB). An error of ccxt's own can only
// exist once ccxt is loaded; it is known by its class chain, which always ends in ccxt's
// BaseError.
export type CcxtErrorClass =
  | "AuthenticationError"
  | "PermissionDenied"
  | "OrderNotFound"
  | "InsufficientFunds"
  | "BadSymbol"
  | "DDoSProtection"
  | "RateLimitExceeded"
  | "InvalidOrder"
  | "BadRequest"
  | "NetworkError"
  | "OperationFailed";

function classNames(e: unknown): Set<string> {
  const names = new Set<string>();
  if (!(e instanceof Error)) return names;
  for (
    let proto: unknown = Object.getPrototypeOf(e);
    proto && proto !== Error.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === "string") names.add(name);
  }
  return names;
}

/** e is one of ccxt's exceptions */
export function isCcxtError(e: unknown): e is Error {
  return classNames(e).has("BaseError");
}

/** e is an instance of ccxt's exception class `name` (or of a subclass of it) */
export function isCcxtErrorOf(e: unknown, name: CcxtErrorClass): boolean {
  const names = classNames(e);
  return names.has("BaseError") && names.has(name);
}
