// A second process holding SQLite's write lock on LOCK_FILE for LOCK_MS (sqlite-faults.test.ts):
// BEGIN IMMEDIATE takes the lock every writer needs; readers go on (WAL). Prints LOCKED once
// held; rolls back and exits 0 when the time is up.
import Sqlite from "better-sqlite3";

const db = new Sqlite(process.env.LOCK_FILE!);
db.pragma("busy_timeout = 5000");
db.exec("BEGIN IMMEDIATE");
process.stdout.write("LOCKED\n");
setTimeout(() => {
  db.exec("ROLLBACK");
  db.close();
  process.exit(0);
}, Number(process.env.LOCK_MS));
