// The Telegram twin: a local fake of the Telegram Bot API for end-to-end tests, the sandbox and
// benchmarks. See twin.ts for an example.
export { TelegramTwin, DEFAULT_BOT } from "./twin.ts";
export { SimulatedUser, SimulatedGroup, SimulatedChannel } from "./actors.ts";
export type {
  UserSpec,
  GroupSpec,
  ChannelSpec,
  ChatRef,
  ButtonRef,
  SendOptions,
} from "./actors.ts";
export type { TwinEvents } from "./events.ts";
export { formatText, assertLength } from "./formatted-text.ts";
export type { FormattedText } from "./formatted-text.ts";
export { SendRateLimiter } from "./rate-limiter.ts";
export { parseMultipart } from "./multipart.ts";
export { METHOD_NAMES } from "./methods/index.ts";
export type * from "./types.ts";
