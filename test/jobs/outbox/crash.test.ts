// Crash safety: a drainer in its own process is killed with SIGKILL mid-drain, twice, and a new
// one finishes the job. Nothing may be lost; a message may be repeated only if it was in flight
// when its drainer died (Telegram accepted it, the SENT mark never committed: the at-least-once
// window documented in src/jobs/outbox/drainer.ts), so duplicates are bounded by kills × the
// child's maxInFlight, and every duplicate must be a row the killed drainer held as SENDING.
//
// The child runs as `node --import tsx` (what `npx tsx` runs, without the npx and tsx wrapper
// processes) so that SIGKILL hits the drainer itself, not a parent that would leave it running.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TELEGRAM_LIMITS, scaleLimits } from "../../../src/jobs/outbox/rate-limiter.ts";
import { PROVIDERS, type TestDatabase, createTestDatabase } from "../../support/db.ts";
import { TelegramTwin } from "../../support/telegram-twin/index.ts";
import { deliveredSeqs, insertMany, marker, privateChats, waitUntilSettled } from "./support.ts";

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/drain-child.ts");
const MAX_IN_FLIGHT = 4;
const LEASE_MS = 1500;
const SCALE = 5;

interface Child {
  proc: ChildProcess;
  exited: Promise<number | null>;
}

function startChild(tdb: TestDatabase, twin: TelegramTwin, workerId: string): Promise<Child> {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: {
      ...process.env,
      DATABASE_URL: tdb.url,
      BOT_TOKEN: twin.bot.token,
      TELEGRAM_API_ROOT: twin.apiRoot,
      WORKER_ID: workerId,
      OUTBOX_LIMITS: JSON.stringify(scaleLimits(TELEGRAM_LIMITS, SCALE)),
      LEASE_MS: String(LEASE_MS),
      MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready\n")) resolve({ proc, exited });
    });
    void exited.then((code) =>
      reject(new Error(`drainer ${workerId} exited (${code}): ${stderr}`)),
    );
  });
}

describe.each(PROVIDERS)("OutboxDrainer crash safety on %s", (provider) => {
  let tdb: TestDatabase;
  let twin: TelegramTwin;
  beforeAll(async () => {
    tdb = await createTestDatabase(provider);
    twin = await TelegramTwin.start();
    twin.setLimits({ scale: SCALE });
  });
  afterAll(async () => {
    await twin.stop();
    await tdb.drop();
  });

  it("loses nothing and repeats only what was in flight when killed with SIGKILL", async () => {
    const chats = await privateChats(tdb.db, twin, 20);
    const perChat = 12;
    await insertMany(tdb.db, chats, perChat);
    const total = chats.length * perChat;
    const accepted = (n: number) =>
      twin.waitFor(() => (twin.stats().sendsAccepted >= n ? true : undefined), {
        timeoutMs: 20_000,
        description: `${n} sends accepted`,
      });

    // rows a killed drainer held as SENDING although Telegram had already accepted them: the
    // sends in flight when it died, the only ones that may be repeated
    const inFlightAtDeath = new Set<string>();
    const allMarkers = () => chats.flatMap((c) => deliveredSeqs(twin, c).map((s) => marker(c, s)));
    const kill = async (child: Child, workerId: string) => {
      child.proc.kill("SIGKILL");
      await child.exited;
      const seen = new Set(allMarkers());
      const held = await tdb.db.prisma.notificationOutbox.findMany({
        where: { status: "SENDING", claimedBy: workerId },
      });
      const inFlight = held.filter((r) => seen.has(r.message));
      expect(inFlight.length).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      for (const r of inFlight) inFlightAtDeath.add(r.message);
    };

    const first = await startChild(tdb, twin, "crash-a");
    await accepted(Math.floor(total * 0.25));
    await kill(first, "crash-a");
    const second = await startChild(tdb, twin, "crash-b");
    await accepted(Math.floor(total * 0.6));
    await kill(second, "crash-b");
    const third = await startChild(tdb, twin, "crash-c");
    await waitUntilSettled(tdb.db, 30_000);
    third.proc.kill("SIGTERM");
    expect(await third.exited).toBe(0);

    // nothing lost: every row SENT, every message in the twin's log, in order per chat
    expect(await tdb.db.prisma.notificationOutbox.count({ where: { status: "SENT" } })).toBe(total);
    const counts = new Map<string, number>();
    for (const chat of chats) {
      const seqs = deliveredSeqs(twin, chat);
      expect([...new Set(seqs)]).toEqual([...Array(perChat).keys()]);
      // a repeat comes right after its first copy: order is never broken
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      for (const seq of seqs) {
        const key = marker(chat, seq);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const repeated = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
    const duplicates = [...counts.values()].reduce((a, n) => a + n - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(2 * MAX_IN_FLIGHT);
    for (const key of repeated) expect(inFlightAtDeath).toContain(key);
  });
});
