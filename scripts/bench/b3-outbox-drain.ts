// B3 — draining the notification outbox: 5,000 notifications to 200 chats (180 private chats,
// 20 supergroups) through the Telegram twin, with Telegram's limits scaled up tenfold in the
// drainer and in the twin alike (300 messages/s overall, 10/s per chat, 200/min per group).
// Two workloads: "even" (25 notifications per chat; the goals apply) and "skewed" (each
// notification to a chat picked at random: reported, no goal; its tail is the busiest chats
// finishing alone at their per-chat limit, the price of serving chats round-robin).
//
// Figures, from the twin's own timestamps of accepted sends:
//   rate       messages accepted per second, first to last: (n − 1) / (t_last − t_first)
//   allowed    min(global limit, sum over chats of their per-chat limit) in the scaled limits
//   of allowed rate / allowed                                      goal ≥ 0.95
//              (can exceed 1: a sliding window lets a full window's worth go at the start)
//   429s       answers the twin refused for flooding                goal 0
//   ideal      the shortest span any sender could achieve under the twin's sliding windows: one
//              full global window at once, then one per second, so (⌈n / global⌉ − 1) s, or the
//              busiest chat's (n_c − 1) / per-chat rate, whichever is longer; "of ideal" = ideal /
//              actual span
//   wall       from drainOnce() to its end, claims and database writes included
// On SQLite and, when reachable, PostgreSQL.
// Run alone: npx tsx scripts/bench/b3-outbox-drain.ts [--quick]
import { pathToFileURL } from "node:url";
import { Api } from "grammy";
import pino from "pino";
import type { Database, Provider } from "../../src/db/client.ts";
import { TelegramOutboxSender } from "../../src/bot/outbox/telegram-sender.ts";
import { OutboxDrainer } from "../../src/jobs/outbox/drainer.ts";
import {
  type ChatKind,
  TELEGRAM_LIMITS,
  allowedRate,
  scaleLimits,
} from "../../src/jobs/outbox/rate-limiter.ts";
import { TelegramTwin } from "../../test/support/telegram-twin/index.ts";
import {
  type BenchOptions,
  type BenchResult,
  createTempDatabase,
  postgresAvailable,
  round,
  seededRandom,
  timed,
} from "./support.ts";

export const SCALE = 10;
export const GOAL_FRACTION = 0.95;

type Distribution = "even" | "skewed";

interface Workload {
  notifications: number;
  privateChats: number;
  groups: number;
}

const FULL: Workload = { notifications: 5000, privateChats: 180, groups: 20 };
const QUICK: Workload = { notifications: 500, privateChats: 18, groups: 2 };
const DISTRIBUTIONS: Distribution[] = ["even", "skewed"];

interface Figures {
  provider: Provider;
  distribution: Distribution;
  sent: number;
  rate: number;
  allowed: number;
  fraction: number;
  idealFraction: number;
  floods: number;
  wallSeconds: number;
  inOrder: boolean;
  exactlyOnce: boolean;
}

interface BenchChat {
  id: number;
  userId: number;
  telegramChatId: number;
  kind: ChatKind;
}

async function createChats(db: Database, twin: TelegramTwin, w: Workload): Promise<BenchChat[]> {
  const total = w.privateChats + w.groups;
  const userIds = Array.from({ length: w.privateChats }, (_, i) => 900_000 + i);
  await db.prisma.user.createMany({
    data: userIds.map((id) => ({
      uid: `b3-user-${id}`,
      telegramUserId: String(id),
      status: "APPROVED" as const,
    })),
  });
  const users = await db.prisma.user.findMany({
    where: { telegramUserId: { in: userIds.map(String) } },
    orderBy: { id: "asc" },
  });
  const chats: Array<{ telegramChatId: number; userId: number; kind: ChatKind }> = [];
  for (const user of users) {
    const id = Number(user.telegramUserId);
    twin.user({ id, first_name: `B3 ${id}` });
    chats.push({ telegramChatId: id, userId: user.id, kind: "PRIVATE" });
  }
  for (let g = 0; g < total - w.privateChats; g++) {
    const owner = users[g % users.length]!;
    const id = -(1_009_000_000 + g);
    const creator = twin.user({ id: Number(owner.telegramUserId), first_name: "owner" });
    twin
      .group({ id, title: `B3 group ${g}` })
      .addMember(creator, "creator")
      .addBot({ by: creator });
    chats.push({ telegramChatId: id, userId: owner.id, kind: "SUPERGROUP" });
  }
  await db.prisma.telegramChat.createMany({
    data: chats.map((c) => ({
      uid: `b3-chat-${c.telegramChatId}`,
      userId: c.userId,
      chatId: String(c.telegramChatId),
      type: c.kind,
    })),
  });
  const rows = await db.prisma.telegramChat.findMany({ orderBy: { id: "asc" } });
  const byTelegramId = new Map(rows.map((r) => [r.chatId, r.id]));
  return chats.map((c) => ({ ...c, id: byTelegramId.get(String(c.telegramChatId))! }));
}

async function enqueue(
  db: Database,
  chats: BenchChat[],
  count: number,
  distribution: Distribution,
): Promise<void> {
  const random = seededRandom(3);
  const seq = new Map<number, number>();
  const now = new Date();
  const rows = Array.from({ length: count }, (_, i) => {
    const chat =
      distribution === "even"
        ? chats[i % chats.length]!
        : chats[Math.floor(random() * chats.length)]!;
    const n = seq.get(chat.id) ?? 0;
    seq.set(chat.id, n + 1);
    return {
      uid: `b3-row-${i}`,
      chatId: chat.id,
      userId: chat.userId,
      type: "ALERT_TRIGGERED",
      severity: "INFO" as const,
      title: "Alert",
      message: `b3:${chat.telegramChatId}:${n} price crossed <b>42,000</b>`,
      format: "html",
      dedupeKey: `b3-${i}`,
      nextAttemptAt: now,
      createdAt: now,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await db.prisma.notificationOutbox.createMany({ data: rows.slice(i, i + 1000) });
  }
}

async function measure(
  provider: Provider,
  distribution: Distribution,
  w: Workload,
  opts: BenchOptions,
): Promise<Figures> {
  const temp = await createTempDatabase(provider, "b3");
  const db = temp.open();
  const twin = await TelegramTwin.start();
  try {
    twin.setLimits({ scale: SCALE });
    const limits = scaleLimits(TELEGRAM_LIMITS, SCALE);
    const chats = await createChats(db, twin, w);
    await enqueue(db, chats, w.notifications, distribution);
    opts.log(`${provider}/${distribution}: ${w.notifications} notifications queued`);

    const drainer = new OutboxDrainer({
      db,
      // a plain Api: the drainer handles 429 itself (no auto-retry)
      sender: new TelegramOutboxSender(new Api(twin.bot.token, { apiRoot: twin.apiRoot })),
      logger: pino({ level: "warn" }),
      limits,
    });
    const { seconds, value: stats } = await timed(() => drainer.drainOnce());

    const times: number[] = [];
    let inOrder = true;
    let delivered = 0;
    const seen = new Set<string>();
    for (const chat of chats) {
      times.push(...twin.sendTimestamps(chat.telegramChatId));
      const seqs = twin
        .messages(chat.telegramChatId)
        .map((m) => /^Alert\nb3:-?\d+:(\d+) /.exec(m.text ?? "")?.[1])
        .filter((s): s is string => s !== undefined)
        .map(Number);
      seqs.forEach((s, i) => {
        if (s !== i) inOrder = false;
        seen.add(`${chat.telegramChatId}:${s}`);
      });
      delivered += seqs.length;
    }
    times.sort((a, b) => a - b);
    const span = (times.at(-1)! - times[0]!) / 1000;
    const rate = (times.length - 1) / span;
    const allowed = allowedRate(
      limits,
      chats.map((c) => c.kind),
    );
    // the shortest span the twin's windows allow for this workload: the global window's, or the
    // busiest chat's (one send per 1 / perChatPerSecond, a group's minute window on top)
    const chatGap = 1 / limits.perChatPerSecond;
    const ideal = Math.max(
      Math.ceil(times.length / limits.globalPerSecond) - 1,
      ...chats.map((c) => {
        const n = twin.sendTimestamps(c.telegramChatId).length;
        const minutes = c.kind === "PRIVATE" ? 0 : Math.floor((n - 1) / limits.groupPerMinute);
        return Math.max((n - 1) * chatGap, minutes * 60);
      }),
    );
    return {
      provider,
      distribution,
      sent: stats.sent,
      rate,
      allowed,
      fraction: rate / allowed,
      idealFraction: ideal / span,
      floods: twin.stats().rateLimited,
      wallSeconds: seconds,
      inOrder,
      exactlyOnce: delivered === w.notifications && seen.size === w.notifications,
    };
  } finally {
    await twin.stop();
    await db.close();
    await temp.drop();
  }
}

async function run(opts: BenchOptions): Promise<BenchResult> {
  const w = opts.quick ? QUICK : FULL;
  const providers: Provider[] = ["sqlite"];
  if (await postgresAvailable()) providers.push("postgres");
  const figures: Figures[] = [];
  for (const provider of providers) {
    for (const distribution of DISTRIBUTIONS) {
      figures.push(await measure(provider, distribution, w, opts));
    }
  }
  // every run: zero 429s, each delivered once, in order; the rate goal on the even workload
  const passed = figures.every(
    (f) =>
      f.floods === 0 &&
      f.inOrder &&
      f.exactlyOnce &&
      (f.distribution !== "even" || f.fraction >= GOAL_FRACTION),
  );
  const lines = figures.map(
    (f) =>
      `${f.provider}/${f.distribution}: ${round(f.rate, 1)} msg/s = ${round(f.fraction, 3)} of ` +
      `the allowed ${round(f.allowed, 1)} msg/s` +
      `${f.distribution === "even" ? ` (goal ≥ ${GOAL_FRACTION})` : ""}, ${f.floods} 429s (goal 0), ` +
      `${round(f.idealFraction, 3)} of the ideal schedule; ` +
      `${f.exactlyOnce ? "each delivered once" : "LOST OR REPEATED MESSAGES"}, ` +
      `${f.inOrder ? "in order per chat" : "OUT OF ORDER"}`,
  );
  return {
    id: "B3",
    title: `Outbox drain: ${w.notifications} notifications to ${w.privateChats + w.groups} chats, limits ×${SCALE}`,
    passed,
    summary: lines.join("\n"),
    table: {
      columns: [
        "db",
        "workload",
        "sent",
        "msg/s",
        "allowed",
        "of allowed",
        "of ideal",
        "429s",
        "wall s",
      ],
      rows: figures.map((f) => [
        f.provider,
        f.distribution,
        f.sent,
        round(f.rate, 1),
        round(f.allowed, 1),
        round(f.fraction, 3),
        round(f.idealFraction, 3),
        f.floods,
        round(f.wallSeconds, 2),
      ]),
    },
    figures,
  };
}

const bench = {
  id: "B3",
  title: "Outbox drain through the Telegram twin at ten times Telegram's limits",
  run,
};
export default bench;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await run({ quick: process.argv.includes("--quick"), log: console.error });
  console.log(result.summary);
  process.exitCode = result.passed ? 0 : 1;
}
