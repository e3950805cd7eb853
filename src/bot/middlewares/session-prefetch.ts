// Reads the keys an update's session and conversation storage will ask for in one go, before
// either plugin runs, when the storage can (src/wiring/session-store.ts): one read instead of one
// per plugin. The storage keeps what it read only until this update is done.
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.ts";

/** A session storage that can read the keys of the update in flight together, up front. */
export interface UpdateScopedStorage {
  /** reads `keys` together and serves them to this update's reads; release() when it is done */
  prefetch(keys: readonly string[]): Promise<() => void>;
}

export function isUpdateScoped(storage: object): storage is UpdateScopedStorage {
  return typeof (storage as Partial<UpdateScopedStorage>).prefetch === "function";
}

export function sessionPrefetch(
  storage: UpdateScopedStorage,
  keysOf: (ctx: BotContext) => string[],
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const keys = keysOf(ctx);
    if (!keys.length) return next();
    const release = await storage.prefetch(keys);
    try {
      await next();
    } finally {
      release();
    }
  };
}
