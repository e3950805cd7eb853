// The per-database set-up most integration tests share: a fresh database of one provider for the
// describe block (copied from the suite's template), the services world built on it, and the
// database dropped when the block is done. Use it inside `describe.each(PROVIDERS)` (or with one
// provider) in place of hand-written beforeAll/afterAll hooks:
//
//   describe.each(PROVIDERS)("orders on %s", (provider) => {
//     let world: TestWorld;
//     useTestWorld(provider, (t) => {
//       world = t.world;
//     });
//
// `setup` runs in the same beforeAll, right after the world is built. The drop is registered
// first, so afterAll hooks the block adds later run before it (vitest runs after-hooks in
// reverse), while the database is still there.
import { afterAll, beforeAll } from "vitest";
import type { Provider } from "../../src/db/client.ts";
import { type TestDatabase, createTestDatabase } from "./db.ts";
import { type TestWorld, createWorld } from "./fixtures.ts";

export interface DatabaseWorld {
  tdb: TestDatabase;
  world: TestWorld;
}

export function useTestWorld(
  provider: Provider,
  setup: (t: DatabaseWorld) => void | Promise<void>,
  worldOptions?: Parameters<typeof createWorld>[1],
): void {
  let tdb: TestDatabase | null = null;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    await setup({ tdb, world: createWorld(tdb.db, worldOptions) });
  });
  afterAll(async () => {
    await tdb?.drop();
  });
}
