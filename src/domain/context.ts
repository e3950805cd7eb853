// What every domain service is built from: the database and a clock.
import type { Db, Provider } from "../db/client.ts";
import type { WriteTracker } from "../db/write-tracker.ts";
import type { Clock } from "../lib/clock.ts";

export interface DomainContext {
  db: Db;
  provider: Provider;
  clock: Clock;
  /**
   * Set when this process is the database's only writer: reads made on every update (the user,
   * their active portfolio) are then kept between updates until a write to their tables
   * (src/db/read-cache.ts). Absent: every read goes to the database.
   */
  writes?: WriteTracker;
}
