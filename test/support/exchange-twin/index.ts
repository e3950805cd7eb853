// The exchange twin: a local fake of Binance's spot REST API for tests, the sandbox and
// benchmarks. See twin.ts for an example.
export { ExchangeTwin, catalogSymbols, extraSymbols } from "./twin.ts";
export type { ExchangeTwinOptions, RequestRecord } from "./twin.ts";
export type { FaultKind, FaultSpec } from "./faults.ts";
export type { SymbolSpec } from "./filters.ts";
export type { NewOrderParams } from "./orders.ts";
export { sign } from "./signing.ts";
