// A second process holding SQLite's write lock on LOCK_FILE (sqlite-faults.test.ts): BEGIN
// IMMEDIATE takes the lock every writer needs; readers go on (WAL). Prints LOCKED once held, and
// holds it until SIGTERM (the test has seen what it waited for): then rolls back and exits 0. At
// LOCK_MS it gives up the lock anyway and exits 3, so a test that needed the lock longer fails.
import Sqlite from "better-sqlite3";

const db = new Sqlite(process.env.LOCK_FILE!);
db.pragma("busy_timeout = 5000");
db.exec("BEGIN IMMEDIATE");
const locked = Date.now();
process.stdout.write("LOCKED\n");
const release = (code: number) => {
  db.exec("ROLLBACK");
  db.close();
  process.stderr.write(`released after ${Date.now() - locked} ms\n`);
  process.exit(code);
};
process.on("SIGTERM", () => release(0));
setTimeout(() => release(3), Number(process.env.LOCK_MS));
