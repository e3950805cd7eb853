// Work a user is waiting for: everything an update's handling does, down to its SQL statements.
// SQLite answers synchronously, so its adapter lets the event loop turn before each statement of
// background work (jobs, the strategy cycle, the outbox), and a command slips in between them
// (src/db/sqlite-adapter.ts). A command's own statements run straight through: if they took
// turns too, every one of them would wait for one of each busy job's, and with many tasks at once
// (20 users, a cycle placing orders) a command that needs a few milliseconds alone would take as
// long as the slowest work around it. Users first, background work in the gaps.
import { AsyncLocalStorage } from "node:async_hooks";

const storage = new AsyncLocalStorage<true>();

/** Runs `fn` (and every async call it makes) as work a user is waiting for. */
export function runInteractive<T>(fn: () => T): T {
  return storage.run(true, fn);
}

/** Whether the caller is running for a user who waits (see runInteractive). */
export function isInteractive(): boolean {
  return storage.getStore() === true;
}
