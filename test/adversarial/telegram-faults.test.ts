// The Telegram fault drills (support/telegram-fault-suite.ts: 429s, 5xx, dropped and hung
// connections on every Bot API method the bot uses, during conversations and the outbox drain)
// on SQLite; telegram-faults-postgres.test.ts runs them on PostgreSQL.
import { telegramFaultSuite } from "./support/telegram-fault-suite.ts";

telegramFaultSuite("sqlite");
