// The fuzzer of fuzz.test.ts on PostgreSQL: the same actions and invariants against the app on a
// fresh PostgreSQL database. A smaller CI size (FUZZ_PG_RUNS, default 600 cases) keeps the file
// near a minute and a half (about 70 s here); the seed is the SQLite run's (FUZZ_SEED).
import { fuzzSuite } from "./fuzz/suite.ts";

fuzzSuite(
  "postgres",
  Number(process.env.FUZZ_PG_RUNS ?? 600),
  Number(process.env.FUZZ_SEED ?? 20261205),
);
