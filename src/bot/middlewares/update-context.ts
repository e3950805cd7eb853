// First middleware of every update: attaches the app's dependencies, gives the update a
// correlation id (carried into logs and audit rows), marks its work as a user's (runInteractive:
// on SQLite it goes before background work's statements), and logs how it went.
import type { MiddlewareFn } from "grammy";
import { withCorrelationId } from "../../lib/correlation.ts";
import { runInteractive } from "../../lib/interactive.ts";
import type { BotContext } from "../context.ts";
import type { BotDeps } from "../deps.ts";

export function updateContext(deps: BotDeps): MiddlewareFn<BotContext> {
  return (ctx, next) =>
    withCorrelationId(`u${ctx.update.update_id}`, () => runInteractive(() => handle(ctx, next)));
  async function handle(ctx: BotContext, next: () => Promise<void>): Promise<void> {
    ctx.deps = deps;
    ctx.user = null;
    ctx.actor = null;
    const started = performance.now();
    try {
      await next();
    } finally {
      deps.logger.debug(
        {
          update: ctx.update.update_id,
          from: ctx.from?.id,
          kind: Object.keys(ctx.update).filter((k) => k !== "update_id")[0],
          ms: Math.round(performance.now() - started),
        },
        "update handled",
      );
    }
  }
}
