// Measures every update (by type) and every command the registry knows (by name), with its
// latency and outcome, through the Metrics interface (src/lib/metrics.ts) — the bot knows nothing
// of Prometheus. Installed right after updateContext, so the time covers the whole chain. The
// error boundary answers failures itself; it marks the update failed here (markUpdateFailed).
import type { MiddlewareFn } from "grammy";
import { errorKind, noMetrics } from "../../lib/metrics.ts";
import type { BotContext } from "../context.ts";

const failed = new WeakSet<object>();
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s|$)/;

/** Called by the error boundary: the update failed, and why. */
export function markUpdateFailed(ctx: BotContext, error: unknown): void {
  failed.add(ctx.update);
  (ctx.deps.metrics ?? noMetrics).error("update", errorKind(error));
}

/** The registry's command this update invokes, if any (unknown names are not labels). */
function commandOf(ctx: BotContext): string | null {
  const text = ctx.message?.text ?? ctx.channelPost?.text;
  const name = text ? COMMAND.exec(text)?.[1]?.toLowerCase() : undefined;
  return name && ctx.deps.registry.get(name) ? name : null;
}

export function updateMetrics(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const metrics = ctx.deps.metrics ?? noMetrics;
    const started = performance.now();
    let threw = false;
    try {
      await next();
    } catch (err) {
      threw = true;
      metrics.error("update", errorKind(err));
      throw err;
    } finally {
      const ms = performance.now() - started;
      const outcome = threw || failed.has(ctx.update) ? "error" : "ok";
      const type = Object.keys(ctx.update).find((k) => k !== "update_id") ?? "unknown";
      metrics.updateHandled(type, ms, outcome);
      const command = commandOf(ctx);
      if (command) metrics.commandHandled(command, ms, outcome);
    }
  };
}
