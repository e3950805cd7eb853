// The bot under random updates (issue 15, "Bad input"): every registry command with hostile
// arguments, free text in the middle of conversations, real, mutated and forged button presses,
// edited messages, stickers, photos, forwards, channel posts and group messages sent as a channel,
// against the whole app through the Telegram twin. One approved trader with cash, the admin and a
// stranger act; nothing is reset between cases, so later cases run inside whatever state (open
// conversations, drafts, orders, positions) earlier ones left. After every update: handled, no
// error logged, every Bot API call accepted, no user HTML echoed raw, answered when it deserves
// an answer; after every case: the database invariants (db-invariants.ts) and the outbox rows.
//
// CI size: FUZZ_RUNS (default 1000 cases of one to three updates), seed FUZZ_SEED (default fixed).
// The same on PostgreSQL: fuzz-postgres.test.ts (FUZZ_PG_RUNS). The test body: fuzz/suite.ts.
// `npm run fuzz` runs 100,000. FUZZ_VERBOSE=1 prints every action and the Bot API calls it caused;
// FUZZ_REPORT=file writes the findings as JSON.
import { fuzzSuite } from "./fuzz/suite.ts";

fuzzSuite(
  "sqlite",
  Number(process.env.FUZZ_RUNS ?? 1000),
  Number(process.env.FUZZ_SEED ?? 20261205),
);
