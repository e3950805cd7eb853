// The Telegram fault drills of telegram-faults.test.ts on PostgreSQL: conversations and the
// outbox keep their state in PostgreSQL here (sessions, conversation logs, outbox claims), so a
// retry that is served from a conversation's replay log or a re-claimed outbox row is checked on
// both databases. A file of its own, so the two run side by side.
import { telegramFaultSuite } from "./support/telegram-fault-suite.ts";

telegramFaultSuite("postgres");
