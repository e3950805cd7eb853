// /backup through the Telegram twin: an admin sees the backups (none, then the one taken by
// "Back up now", with size and age) and a failed backup both in the reply and as a CRITICAL
// notification; a trader is refused.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toActor } from "../../src/domain/users/actor.ts";
import { ADMIN_ID, type Harness, ask, startHarness } from "../support/app-harness.ts";

const text = (m: { text?: string; caption?: string }) => m.text ?? m.caption ?? "";

let h: Harness;
let dir: string;

describe("/backup", () => {
  beforeAll(async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tradedesk-e2e-bk-")), "backups");
    // the job stays off: only the button takes backups here
    h = await startHarness({ env: { BACKUP_DIR: dir, JOBS_ENABLED: "false" } });
  });
  afterAll(async () => {
    await h?.stop();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it("lists backups for an admin and takes one on 'Back up now'", async () => {
    await ask(h, h.admin, "/start", (t) => /admin/i.test(t));
    // the help comes in parts: let them all arrive before asking for /backup
    await h.twin.waitForIdle();
    const list = await ask(h, h.admin, "/backup", (t) => /Backups/.test(t));
    expect(text(list)).toMatch(/Every hour · keeping 24 hourly, 7 daily, 4 weekly/);
    expect(text(list)).toContain("No backups yet.");

    const since = h.twin.mark();
    h.admin.press(list, "💾 Back up now");
    const done = await h.twin.waitForMessage(ADMIN_ID, (m) => /Backup taken/.test(text(m)), {
      since,
      timeoutMs: 20_000,
    });
    expect(text(done)).toMatch(/\.db\.gz\n\s+[\d.]+ (KB|MB) · just now/);
    const files = fs.readdirSync(dir);
    expect(files.filter((f) => f.endsWith(".db.gz"))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith(".sha256"))).toHaveLength(1);

    const again = await ask(h, h.admin, "/backup now", (t) => /no arguments/.test(t));
    expect(text(again)).toMatch(/takes no arguments/);
  });

  it("a failed backup is shown and notified to the admins at CRITICAL", async () => {
    // the backup folder is replaced by a file: nothing can be written there
    fs.rmSync(dir, { recursive: true, force: true });
    fs.writeFileSync(dir, "not a folder");
    const list = await ask(h, h.admin, "/backup", (t) => /Backups/.test(t));
    const since = h.twin.mark();
    h.admin.press(list, "💾 Back up now");
    const failed = await h.twin.waitForMessage(ADMIN_ID, (m) => /The backup failed/.test(text(m)), {
      since,
      timeoutMs: 20_000,
    });
    expect(text(failed)).toMatch(/❌ The backup failed: .*(EEXIST|ENOTDIR|not a directory)/);
    const notice = await h.twin.waitForMessage(ADMIN_ID, (m) => /Backup failed/.test(text(m)), {
      since,
      timeoutMs: 20_000,
    });
    expect(text(notice)).toMatch(/requested backup of .* \(UTC\) failed/);
    const row = await h.db.db.prisma.notificationOutbox.findFirstOrThrow({
      where: { dedupeKey: { startsWith: "backup-failed:" } },
    });
    expect(row.severity).toBe("CRITICAL");
    fs.rmSync(dir, { force: true });
  });

  it("refuses a trader", async () => {
    const { users } = h.app.services;
    const admin = toActor((await users.findByTelegramId(String(ADMIN_ID)))!);
    const registered = await users.registerFromTelegram({
      telegramUserId: "7701",
      firstName: "Tom",
      languageCode: "en",
    });
    await users.submitApplication(registered.id, { language: "en", timeZone: "UTC" });
    await users.approve(admin, registered.id);
    const tom = h.twin.user({ id: 7701, first_name: "Tom", language_code: "en" });
    const reply = await ask(h, tom, "/backup");
    expect(text(reply)).toBe("This is for admins only.");
    expect(() => h.app.services.backups.list(toActor(registered))).toThrow();
  });
});
