// Queued failures: failNext() answers the next matching calls with an error reply,
// failWithNetworkError() drops their connections instead (or holds them open unanswered: hang). A fault without a method never
// matches getUpdates, which an idle long-polling bot calls all the time.
import { ApiError, Descriptions } from "./api-error.ts";
import type { FaultSpec, NetworkFaultSpec } from "./types.ts";

interface Queued<T> {
  spec: T;
  remaining: number;
}

function matches(
  spec: { method?: string; chatId?: number | string },
  method: string,
  chatId: unknown,
): boolean {
  if (spec.method !== undefined) {
    if (spec.method.toLowerCase() !== method.toLowerCase()) return false;
  } else if (method.toLowerCase() === "getupdates") {
    return false;
  }
  if (spec.chatId !== undefined && String(spec.chatId) !== String(chatId)) return false;
  return true;
}

function take<T extends { method?: string; chatId?: number | string }>(
  queue: Array<Queued<T>>,
  method: string,
  chatId: unknown,
): T | undefined {
  const index = queue.findIndex((entry) => matches(entry.spec, method, chatId));
  const entry = queue[index];
  if (!entry) return undefined;
  entry.remaining--;
  if (entry.remaining <= 0) queue.splice(index, 1);
  return entry.spec;
}

export class FaultQueue {
  private readonly replies: Array<Queued<FaultSpec>> = [];
  private readonly drops: Array<Queued<NetworkFaultSpec>> = [];

  addReply(spec: FaultSpec): void {
    this.replies.push({ spec, remaining: spec.times ?? 1 });
  }

  addDrop(spec: NetworkFaultSpec): void {
    this.drops.push({ spec, remaining: spec.times ?? 1 });
  }

  clear(): void {
    this.replies.length = 0;
    this.drops.length = 0;
  }

  get pending(): number {
    return this.replies.length + this.drops.length;
  }

  /** The network fault this call's connection meets (dropped, or hung), if one is queued. */
  takeDrop(method: string, chatId: unknown): NetworkFaultSpec | undefined {
    return take(this.drops, method, chatId);
  }

  /** The error reply this call should get, if a fault is queued for it. */
  takeReply(method: string, chatId: unknown): ApiError | undefined {
    const spec = take(this.replies, method, chatId);
    return spec ? faultError(spec) : undefined;
  }
}

export function faultError(spec: FaultSpec): ApiError {
  switch (spec.status) {
    case 429: {
      const retryAfter = spec.retryAfter ?? 1;
      return new ApiError(429, spec.description ?? `Too Many Requests: retry after ${retryAfter}`, {
        retry_after: retryAfter,
      });
    }
    case 400:
      return new ApiError(400, spec.description ?? Descriptions.defaultParseError);
    case 403:
      return new ApiError(403, spec.description ?? Descriptions.blockedByUser);
    case 500:
      return new ApiError(500, spec.description ?? Descriptions.internalServerError);
    case 502:
      return new ApiError(502, spec.description ?? Descriptions.badGateway);
  }
}
