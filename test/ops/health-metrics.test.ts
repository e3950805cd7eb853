// /healthz, /metrics and /status on a running app (real SQLite database, Telegram twin, jobs):
// the endpoints answer on 127.0.0.1, counters move after a command, a job that has not run for
// several of its intervals (the app's clock moved on) turns /healthz to 503, and /status answers
// admins and refuses traders.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toActor } from "../../src/domain/users/actor.ts";
import type { HealthReport } from "../../src/ops/health.ts";
import { ShiftedClock } from "../../src/lib/clock.ts";
import { ADMIN_ID, type Harness, ask, startHarness } from "../support/app-harness.ts";

let h: Harness;
let clock: ShiftedClock;
beforeAll(async () => {
  clock = new ShiftedClock();
  h = await startHarness({ clock });
});
afterAll(async () => {
  await h?.stop();
});

function url(path: string): string {
  const address = h.app.opsAddress();
  if (!address) throw new Error("ops endpoints are not served");
  expect(address.host).toBe("127.0.0.1");
  return `http://127.0.0.1:${address.port}${path}`;
}

async function metric(name: string, labels: string): Promise<number> {
  const body = await (await fetch(url("/metrics"))).text();
  const line = body.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

async function until(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe("health and metrics endpoints", () => {
  it("/healthz reports the database, every job and the outbox, 200 when all is well", async () => {
    await h.app.jobs.runNow("risk-watch");
    const res = await fetch(url("/healthz"));
    const report = (await res.json()) as HealthReport;
    expect(res.status, JSON.stringify(report.problems)).toBe(200);
    expect(report.ok).toBe(true);
    expect(report.database.ok).toBe(true);
    expect(report.jobs.leading).toBe(true);
    expect(report.jobs.list.map((j) => j.name).sort()).toEqual(
      [
        "alerts",
        "backup",
        "maintenance",
        "order-sync",
        "pnl-checkpoints",
        "retention",
        "risk-watch",
        "schedule-runner",
        "strategy-runner",
      ].sort(),
    );
    const risk = report.jobs.list.find((j) => j.name === "risk-watch")!;
    expect(risk.intervalMs).toBe(60_000);
    expect(risk.runs).toBeGreaterThanOrEqual(1);
    expect(risk.stale).toBe(false);
    expect(report.jobs.list.find((j) => j.name === "order-sync")!.intervalMs).toBe(2_000);
    expect(report.outbox).toMatchObject({ ok: true });
  });

  it("/healthz and /status tell the newest backup, how many are kept and the interval", async () => {
    await h.app.jobs.runNow("backup");
    const report = (await (await fetch(url("/healthz"))).json()) as HealthReport;
    expect(report.backups).toMatchObject({ ok: true, intervalMs: 3_600_000, lastFailure: null });
    expect(report.backups!.total).toBeGreaterThanOrEqual(1);
    expect(report.backups!.lastAgeMs).toBeLessThan(60_000);
    expect(report.backups!.lastBytes).toBeGreaterThan(0);
    const reply = await ask(h, h.admin, "/status", (t) => t.includes("Status"));
    expect(reply.text).toMatch(
      /✅ Last backup: just now, [\d.]+ (KB|MB) · \d+ kept, one every 60 min/,
    );
  });

  it("/metrics speaks Prometheus and the command counters move after a command", async () => {
    const res = await fetch(url("/metrics"));
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const body = await res.text();
    for (const name of [
      "tradedesk_updates_handled_seconds",
      "tradedesk_commands_handled_seconds",
      "tradedesk_errors_total",
      "tradedesk_job_run_seconds",
      "tradedesk_outbox_send_seconds",
      "tradedesk_exchange_request_seconds",
      "tradedesk_outbox_rows",
      "tradedesk_outbox_oldest_pending_seconds",
      "tradedesk_jobs_leader",
    ]) {
      expect(body).toContain(`# TYPE ${name}`);
    }
    expect(body).toMatch(/tradedesk_jobs_leader 1/);
    expect(body).toMatch(/tradedesk_job_run_seconds_count\{job="risk-watch",outcome="ok"\} [1-9]/);

    const command = 'command="help",outcome="ok"';
    const before = await metric("tradedesk_commands_handled_seconds_count", command);
    const updatesBefore = await metric(
      "tradedesk_updates_handled_seconds_count",
      'type="message",outcome="ok"',
    );
    await ask(h, h.admin, "/help", (t) => t.includes("/status"));
    expect(
      await until(
        async () =>
          (await metric("tradedesk_commands_handled_seconds_count", command)) === before + 1,
      ),
    ).toBe(true);
    expect(
      await metric("tradedesk_updates_handled_seconds_count", 'type="message",outcome="ok"'),
    ).toBeGreaterThan(updatesBefore);
    // a command nobody registered is no label
    await ask(h, h.admin, "/nosuchcommand");
    expect(await (await fetch(url("/metrics"))).text()).not.toContain("nosuchcommand");
  });

  it("the exchange interface records requests and errors", async () => {
    h.app.metrics.exchangeRequest("binance", "fetchOrder", "ok", 120);
    h.app.metrics.exchangeRequest("binance", "fetchOrder", "timeout", 30_000);
    expect(
      await metric(
        "tradedesk_exchange_request_seconds_count",
        'exchange="binance",endpoint="fetchOrder",outcome="timeout"',
      ),
    ).toBe(1);
    expect(await metric("tradedesk_errors_total", 'source="exchange",kind="timeout"')).toBe(1);
  });
});

describe("/status", () => {
  it("answers an admin with the same facts", async () => {
    const reply = await ask(h, h.admin, "/status", (t) => t.includes("Status"));
    const text = reply.text ?? "";
    expect(text).toContain("Everything is in order");
    expect(text).toMatch(/Database: ✅ answers in \d+ ms/);
    expect(text).toContain("Jobs: run by this instance");
    expect(text).toMatch(/✅ risk-watch: last run \d+ s ago, every 60 s/);
    expect(text).toMatch(/Outbox: pending \d+/);
    expect(text).toMatch(/updates \d+ · commands \d+ · errors \d+/);
  });

  it("answers in Russian for a Russian-speaking admin", async () => {
    const { users } = h.app.services;
    const me = await users.registerFromTelegram({
      telegramUserId: String(ADMIN_ID),
      firstName: "Ada",
    });
    await users.setLanguage(me.id, "ru");
    try {
      const reply = await ask(h, h.admin, "/status", (t) => t.includes("Состояние"));
      expect(reply.text).toMatch(/База данных: ✅ отвечает за \d+ мс/);
      expect(reply.text).toContain("Задания: выполняет этот экземпляр");
    } finally {
      await users.setLanguage(me.id, "en");
    }
  });

  it("refuses a trader", async () => {
    const { users } = h.app.services;
    const admin = toActor(
      await users.registerFromTelegram({ telegramUserId: String(ADMIN_ID), firstName: "Ada" }),
    );
    const row = await users.registerFromTelegram({
      telegramUserId: "7400",
      firstName: "Trudy",
      languageCode: "en",
    });
    await users.submitApplication(row.id, { language: "en", timeZone: "UTC" });
    await users.approve(admin, row.id);
    const trader = h.twin.user({ id: 7400, first_name: "Trudy", language_code: "en" });
    const reply = await ask(h, trader, "/status");
    expect(reply.text).not.toContain("Status");
    expect(reply.text).toMatch(/admins only/i);
  });
});

describe("a stale job", () => {
  it("turns /healthz to 503 and names the job once the clock has moved past its interval", async () => {
    clock.advance(10 * 60_000);
    const res = await fetch(url("/healthz"));
    const report = (await res.json()) as HealthReport;
    expect(res.status).toBe(503);
    expect(report.ok).toBe(false);
    const risk = report.jobs.list.find((j) => j.name === "risk-watch")!;
    expect(risk.stale).toBe(true);
    expect(risk.lagMs).toBeGreaterThan(risk.staleAfterMs);
    expect(report.problems.some((p) => p.includes("risk-watch"))).toBe(true);
    const status = await ask(h, h.admin, "/status", (t) => t.includes("Status"));
    expect(status.text).toMatch(/Needs attention: \d+ problems?/);
    expect(status.text).toMatch(/⚠️ risk-watch/);
  });
});
