// Binance's error bodies, exactly as the venue sends them: `{"code":-1013,"msg":"..."}` with the
// HTTP status it pairs them with. Clients (ccxt) map the code, sometimes the message, to an
// exception class, so both must match the real exchange word for word.

export class BinanceError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(msg);
  }

  body(): string {
    return JSON.stringify({ code: this.code, msg: this.message });
  }
}

export const errors = {
  unknownSymbol: () => new BinanceError(400, -1121, "Invalid symbol."),
  mandatory: (name: string) =>
    new BinanceError(
      400,
      -1102,
      `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
    ),
  illegalChars: (name: string) =>
    new BinanceError(
      400,
      -1100,
      `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`,
    ),
  badParam: (msg: string) => new BinanceError(400, -1104, msg),
  invalidValue: (msg: string) => new BinanceError(400, -1130, msg),
  badInterval: () => new BinanceError(400, -1120, "Invalid interval."),
  badOrderType: () => new BinanceError(400, -1116, "Invalid orderType."),
  badSide: () => new BinanceError(400, -1117, "Invalid side."),
  badTif: () => new BinanceError(400, -1115, "Invalid timeInForce."),
  tifNotRequired: () =>
    new BinanceError(400, -1106, "Parameter 'timeInForce' sent when not required."),
  filter: (name: string) => new BinanceError(400, -1013, `Filter failure: ${name}`),
  insufficientBalance: () =>
    new BinanceError(400, -2010, "Account has insufficient balance for requested action."),
  duplicateOrder: () => new BinanceError(400, -2010, "Duplicate order sent."),
  wouldMatch: () => new BinanceError(400, -2010, "Order would immediately match and take."),
  wouldTrigger: () => new BinanceError(400, -2010, "Order would trigger immediately."),
  cancelUnknown: () => new BinanceError(400, -2011, "Unknown order sent."),
  noSuchOrder: () => new BinanceError(400, -2013, "Order does not exist."),
  timestampOutside: () =>
    new BinanceError(400, -1021, "Timestamp for this request is outside of the recvWindow."),
  timestampAhead: () =>
    new BinanceError(
      400,
      -1021,
      "Timestamp for this request was 1000ms ahead of the server's time.",
    ),
  recvWindowTooLarge: () => new BinanceError(400, -1131, "recvWindow must be less than 60000"),
  badSignature: () => new BinanceError(400, -1022, "Signature for this request is not valid."),
  keyFormat: () => new BinanceError(401, -2014, "API-key format invalid."),
  keyRejected: () =>
    new BinanceError(401, -2015, "Invalid API-key, IP, or permissions for action."),
  unknownPath: () =>
    new BinanceError(404, -1000, "An unknown error occurred while processing the request."),
  tooManyRequests: (retryAfterSec: number) =>
    new BinanceError(
      429,
      -1003,
      "Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API.",
      { "Retry-After": String(retryAfterSec) },
    ),
  banned: (retryAfterSec: number, untilMs: number) =>
    new BinanceError(
      418,
      -1003,
      `Way too much request weight used; IP banned until ${untilMs}. Please use WebSocket Streams for live updates to avoid bans.`,
      { "Retry-After": String(retryAfterSec) },
    ),
  internal: (status: number) =>
    new BinanceError(
      status,
      -1001,
      "Internal error; unable to process your request. Please try again.",
    ),
};
