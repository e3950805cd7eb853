// A correlation id per Telegram update or job run, carried through async calls so logs and audit
// rows written anywhere below can be tied back to what caused them.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

const storage = new AsyncLocalStorage<string>();

export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

export function withCorrelationId<T>(id: string | undefined, fn: () => T): T {
  return storage.run(id ?? randomUUID().slice(0, 8), fn);
}
