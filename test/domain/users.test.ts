// UserService against real SQLite and PostgreSQL databases: registration (configured admins,
// name refresh, a racing first contact), the admin decisions with their rules (seat cap, never the
// last admin, never yourself), the audit trail, listing, and settings with bad input.
import { REAPPLY_AFTER_MS } from "../../src/domain/users/user-service.ts";
import { describe, expect, it } from "vitest";
import { ForbiddenError, StateError, ValidationError } from "../../src/domain/errors.ts";
import { type Actor, toActor } from "../../src/domain/users/actor.ts";
import { PROVIDERS, type TestDatabase } from "../support/db.ts";
import { type TestWorld } from "../support/fixtures.ts";
import { useTestWorld } from "../support/test-world.ts";

describe.each(PROVIDERS)("UserService on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  let admin: Actor;
  let nextId = 20_000;
  // seats: the admin plus three
  const MAX_USERS = 4;

  useTestWorld(
    provider,
    async (t) => {
      ({ tdb, world } = t);
      admin = toActor(
        await world.services.users.registerFromTelegram({ telegramUserId: "1", firstName: "Ada" }),
      );
    },
    { maxUsers: MAX_USERS, admins: ["1"] },
  );

  const applicant = (name: string) =>
    world.services.users.registerFromTelegram({
      telegramUserId: String(nextId++),
      firstName: name,
      languageCode: "ru",
    });
  const auditOf = (userId: number) =>
    tdb.db.prisma.auditLog.findMany({
      where: { entityType: "USER", entityId: userId },
      orderBy: { id: "asc" },
    });

  it("registers a configured admin approved and active, and anyone else pending", async () => {
    expect(admin).toMatchObject({ isAdmin: true, status: "APPROVED", isActive: true });
    const pat = await applicant("Pat");
    expect(pat).toMatchObject({ isAdmin: false, status: "PENDING", approvedAt: null });
    expect(pat.telegramLanguage).toBe("ru");
    expect((await auditOf(pat.id)).map((a) => a.action)).toEqual(["CREATE"]);
  });

  it("refreshes names on later contact without a second row, and survives a racing first contact", async () => {
    const id = String(nextId++);
    const [a, b] = await Promise.all([
      world.services.users.registerFromTelegram({ telegramUserId: id, firstName: "Twin" }),
      world.services.users.registerFromTelegram({ telegramUserId: id, firstName: "Twin" }),
    ]);
    expect(a.id).toBe(b.id);
    const renamed = await world.services.users.registerFromTelegram({
      telegramUserId: id,
      firstName: "Twin",
      username: "twin_2",
    });
    expect(renamed).toMatchObject({ id: a.id, username: "twin_2" });
    expect(await tdb.db.prisma.user.count({ where: { telegramUserId: id } })).toBe(1);
  });

  it("identifies a user and, in the same read, whether their private chat is registered and active", async () => {
    const { users, chats } = world.services;
    const id = String(nextId++);
    const profile = { telegramUserId: id, firstName: "Ivy" };
    // first contact: created, no chat yet
    const first = await users.identify(profile, id);
    expect(first.privateChatActive).toBe(false);
    expect(first.user).toMatchObject({ telegramUserId: id, status: "PENDING" });
    expect(first.user).not.toHaveProperty("_count");
    await chats.registerPrivateChat(first.user.id, id);
    const again = await users.identify({ ...profile, username: "ivy" }, id);
    expect(again).toMatchObject({ privateChatActive: true, user: { id: first.user.id } });
    expect(again.user.username).toBe("ivy");
    expect(again.user).not.toHaveProperty("_count");
    // another chat id, or none asked about, is not their active private chat
    expect((await users.identify(profile, "999999999")).privateChatActive).toBe(false);
    expect((await users.identify(profile, null)).privateChatActive).toBe(false);
    // the bot blocked: no longer active until they write again
    await chats.markInactive(id, "blocked");
    expect((await users.identify(profile, id)).privateChatActive).toBe(false);
    await chats.touchPrivateChat(first.user.id, id);
    expect((await users.identify(profile, id)).privateChatActive).toBe(true);
  });

  it("approves with who and when, rejects only the pending, and audits each decision", async () => {
    const { users } = world.services;
    const ann = await applicant("Ann");
    const approved = await users.approve(admin, ann.id);
    expect(approved).toMatchObject({
      status: "APPROVED",
      isActive: true,
      approvedById: admin.id,
      approvedAt: world.clock.now(),
    });
    await expect(users.approve(admin, ann.id)).rejects.toMatchObject({
      key: "error-already-approved",
    });
    await expect(users.reject(admin, ann.id)).rejects.toMatchObject({ key: "error-not-pending" });

    const rex = await applicant("Rex");
    expect(await users.reject(admin, rex.id)).toMatchObject({ status: "REJECTED" });
    const trail = (await auditOf(rex.id)).map((a) => [a.action, a.actorId]);
    expect(trail).toEqual([
      ["CREATE", rex.id],
      ["REJECT", admin.id],
    ]);
  });

  it("lets only admins decide, and changes nothing when refused", async () => {
    const { users } = world.services;
    const ann = toActor(await tdb.db.prisma.user.findFirstOrThrow({ where: { firstName: "Ann" } }));
    const pat = await tdb.db.prisma.user.findFirstOrThrow({ where: { firstName: "Pat" } });
    await expect(users.approve(ann, pat.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(users.list(ann, "all")).rejects.toBeInstanceOf(ForbiddenError);
    expect((await users.getById(pat.id)).status).toBe("PENDING");
  });

  it("refuses approvals and reactivations past MAX_USERS, counting admins, not applicants", async () => {
    const { users } = world.services;
    // seats now: admin + Ann; fill the other two
    const bo = await users.approve(admin, (await applicant("Bo")).id);
    await users.approve(admin, (await applicant("Cy")).id);
    expect(await users.countActiveUsers()).toBe(MAX_USERS);
    const dee = await applicant("Dee");
    const refused = users.approve(admin, dee.id);
    await expect(refused).rejects.toBeInstanceOf(StateError);
    await expect(users.approve(admin, dee.id)).rejects.toMatchObject({
      key: "error-user-cap",
      params: { max: MAX_USERS },
    });
    expect((await users.getById(dee.id)).status).toBe("PENDING");
    expect((await auditOf(dee.id)).map((a) => a.action)).toEqual(["CREATE"]);

    // a seat frees up when someone is deactivated, and is taken again by reactivating them
    await users.deactivate(admin, bo.id);
    await users.approve(admin, dee.id);
    await expect(users.reactivate(admin, bo.id)).rejects.toMatchObject({ key: "error-user-cap" });
    await users.deactivate(admin, dee.id);
    expect(await users.reactivate(admin, bo.id)).toMatchObject({ isActive: true });
    expect((await auditOf(bo.id)).map((a) => a.action)).toEqual([
      "CREATE",
      "APPROVE",
      "DEACTIVATE",
      "REACTIVATE",
    ]);
  });

  it("never removes the last admin, and an admin cannot deactivate themselves", async () => {
    const { users } = world.services;
    await expect(users.demote(admin, admin.id)).rejects.toMatchObject({
      key: "error-last-admin",
    });
    await expect(users.deactivate(admin, admin.id)).rejects.toMatchObject({
      key: "error-cannot-deactivate-self",
    });
    const cy = await tdb.db.prisma.user.findFirstOrThrow({ where: { firstName: "Cy" } });
    await expect(
      users.promote(
        admin,
        (await tdb.db.prisma.user.findFirstOrThrow({ where: { firstName: "Pat" } })).id,
      ),
    ).rejects.toMatchObject({ key: "error-promote-unapproved" });
    const promoted = await users.promote(admin, cy.id);
    expect(promoted.isAdmin).toBe(true);
    // with two admins, either may step down, but not both
    const cyActor = toActor(promoted);
    expect((await users.demote(cyActor, admin.id)).isAdmin).toBe(false);
    await expect(users.demote(cyActor, cy.id)).rejects.toMatchObject({ key: "error-last-admin" });
    // restore for the tests after this one
    await users.promote(cyActor, admin.id);
    admin = toActor(await users.getById(admin.id));
    expect(admin.isAdmin).toBe(true);
  });

  it("lets a declined applicant apply again only after 24 hours", async () => {
    const { users } = world.services;
    const rex = await applicant("Rex");
    await users.submitApplication(rex.id, {});
    const declined = await users.reject(admin, rex.id);
    const standing = users.standing(declined);
    expect(standing).toMatchObject({ kind: "rejected", mayReapplyNow: false });
    await expect(users.submitApplication(rex.id, {})).rejects.toMatchObject({
      key: "error-reapply-too-early",
    });
    expect((await users.getById(rex.id)).status).toBe("REJECTED");
    world.clock.advance(REAPPLY_AFTER_MS);
    expect(users.standing(declined)).toMatchObject({ kind: "rejected", mayReapplyNow: true });
    expect((await users.submitApplication(rex.id, { note: "again" })).status).toBe("PENDING");
  });

  it("lists by filter with pages", async () => {
    const { users } = world.services;
    const all = await users.list(admin, "all", 1, 3);
    expect(all.users).toHaveLength(3);
    expect(all.total).toBe(await tdb.db.prisma.user.count());
    const page2 = await users.list(admin, "all", 2, 3);
    expect(page2.users[0]!.id).toBeGreaterThan(all.users[2]!.id);
    // someone who only wrote to the bot is not an application
    const pat = await tdb.db.prisma.user.findFirstOrThrow({ where: { firstName: "Pat" } });
    const visitors = await users.list(admin, "pending");
    expect(visitors.users.map((u) => u.firstName)).not.toContain("Pat");
    expect(users.standing(pat)).toEqual({ kind: "visitor" });
    await users.submitApplication(pat.id, { note: "hello" });
    const pending = await users.list(admin, "pending");
    expect(pending.users.every((u) => u.status === "PENDING")).toBe(true);
    expect(pending.users.map((u) => u.firstName)).toContain("Pat");
    expect(users.standing(await users.getById(pat.id))).toEqual({ kind: "pending" });
    const admins = await users.list(admin, "admins");
    expect(admins.users.every((u) => u.isAdmin)).toBe(true);
  });

  it("validates settings: IANA time zones and supported languages only, nothing saved otherwise", async () => {
    const { users } = world.services;
    const updated = await users.updateSettings(admin, {
      timeZone: "Asia/Tokyo",
      language: "ru",
    });
    expect(updated).toMatchObject({ timeZone: "Asia/Tokyo", language: "ru" });
    await expect(users.updateSettings(admin, { timeZone: "Mars/Olympus" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(users.updateSettings(admin, { language: "xx" })).rejects.toMatchObject({
      field: "language",
    });
    expect(await users.getById(admin.id)).toMatchObject({ timeZone: "Asia/Tokyo", language: "ru" });
  });
});
