// What every domain service is built from: the database and a clock.
import type { Db, Provider } from "../db/client.ts";
import type { Clock } from "../lib/clock.ts";

export interface DomainContext {
  db: Db;
  provider: Provider;
  clock: Clock;
}
