// Everything the bot layer is given at start: configuration, logging, translations, the command
// registry and the domain services. Handlers reach them through ctx.deps.
import type { I18n } from "@grammyjs/i18n";
import type { Config } from "../config.ts";
import type { Services } from "../domain/services.ts";
import type { Metrics } from "../lib/metrics.ts";
import type { Logger } from "../logger.ts";
import type { HealthReport } from "../ops/health.ts";
import type { MarketData } from "../market/types.ts";
import type { CommandRegistry } from "./commands/registry.ts";
import type { BaseContext } from "./context.ts";
import type { Notifier } from "./notifier.ts";
import type { SecretInbox } from "./secret-inbox.ts";

export interface BotDeps {
  config: Config;
  logger: Logger;
  i18n: I18n<BaseContext>;
  registry: CommandRegistry;
  services: Services;
  market: MarketData;
  notifier: Notifier;
  /** secrets typed into the chat, in memory between their message and their encryption */
  secretInbox: SecretInbox;
  /** what handlers, commands and errors are recorded through (src/lib/metrics.ts); none in unit tests */
  metrics?: Metrics;
  /** the operator's facts for /status (the same report as /healthz) */
  health?: { report(): Promise<HealthReport> };
}
