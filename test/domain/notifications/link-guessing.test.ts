// /link codes cannot be found by guessing (issue 15), on SQLite and PostgreSQL:
// - a code nobody has, another user's live code, a spent code and an expired code all get the same
//   answer (same error, same key, same parameters), so a guess tells nothing about what exists;
// - five wrong codes in ten minutes, per poster and per chat, and then every code is refused,
//   the right one too, until the window has moved on; the count is in the database, so two
//   service instances (two bot processes) share it.
import { describe, expect, it } from "vitest";
import { ChatService } from "../../../src/domain/notifications/chat-service.ts";
import {
  LINK_FAILURE_LIMIT,
  LINK_FAILURE_WINDOW_MS,
} from "../../../src/domain/notifications/link-failures.ts";
import { PROVIDERS, type TestDatabase } from "../../support/db.ts";
import { type TestWorld } from "../../support/fixtures.ts";
import { groupChatId, userWithPrivateChat } from "./support.ts";
import { useTestWorld } from "../../support/test-world.ts";

const MINUTE = 60_000;

/** What a refusal tells the poster: its class, key and parameters. */
async function refusal(attempt: Promise<unknown>): Promise<string> {
  const e = await attempt.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, "the attempt was refused").toBeInstanceOf(Error);
  const { name, key, params } = e as { name: string; key?: string; params?: unknown };
  return JSON.stringify({ name, key, params });
}

describe.each(PROVIDERS)("guessing /link codes, on %s", (provider) => {
  let tdb: TestDatabase;
  let world: TestWorld;
  /** two bot instances on one database */
  let one: ChatService;
  let two: ChatService;
  useTestWorld(provider, async (t) => {
    ({ tdb, world } = t);
    one = new ChatService(world.services.ctx);
    two = new ChatService(world.services.ctx);
  });

  it("answers a live code of someone else's, a spent, an expired and a made-up code alike", async () => {
    const carol = await userWithPrivateChat(world, one, "Carol");
    const mallory = await userWithPrivateChat(world, one, "Mallory");
    const expired = (await one.createLinkCode(carol.actor)).code;
    world.clock.advance(15 * MINUTE + 1);
    const live = (await one.createLinkCode(carol.actor)).code;
    const spent = (await one.createLinkCode(carol.actor)).code;
    await one.linkChat({
      code: spent,
      chatId: groupChatId(),
      chatType: "GROUP",
      fromTelegramUserId: carol.telegramUserId,
    });
    const guess = (code: string) =>
      refusal(
        two.linkChat({
          code,
          chatId: groupChatId(),
          chatType: "SUPERGROUP",
          fromTelegramUserId: mallory.telegramUserId,
        }),
      );
    const answers = {
      "made up": await guess("ZZZZ-ZZZZ"),
      "Carol's live code": await guess(live),
      spent: await guess(spent),
      expired: await guess(expired),
    };
    expect(new Set(Object.values(answers)).size, JSON.stringify(answers, null, 1)).toBe(1);
    expect(answers["made up"]).toContain("error-chat-link-code-unknown");
    // and Carol's live code still works for Carol
    const linked = await one.linkChat({
      code: live,
      chatId: groupChatId(),
      chatType: "GROUP",
      fromTelegramUserId: carol.telegramUserId,
    });
    expect(linked.userId).toBe(carol.actor.id);
  });

  it("refuses every code, the right one too, after five wrong ones by a poster, across instances, until the window passes", async () => {
    const paul = await userWithPrivateChat(world, one, "Paul");
    const { code } = await one.createLinkCode(paul.actor);
    const group = groupChatId();
    const post = (svc: ChatService, text: string, chatId = group) =>
      svc.linkChat({
        code: text,
        chatId,
        chatType: "SUPERGROUP",
        fromTelegramUserId: paul.telegramUserId,
      });
    for (let i = 0; i < LINK_FAILURE_LIMIT; i++) {
      // each in a chat of its own: the poster's count alone must stop him
      const answer = await refusal(post(i % 2 ? one : two, `ZZZZZZZ${"ABCDE"[i]}`, groupChatId()));
      expect(answer).toContain("error-chat-link-code-unknown");
      world.clock.advance(MINUTE);
    }
    // 5 minutes after the first failure: refused for 5 more, the right code too, on either instance
    const limited = await refusal(post(two, code));
    expect(limited).toContain("error-chat-link-too-many");
    expect(JSON.parse(limited).params).toEqual({ limit: 5, window: 10, minutes: 5 });
    expect(await refusal(post(one, code))).toBe(limited);
    expect(await tdb.db.prisma.chatLinkCode.findUniqueOrThrow({ where: { code } })).toMatchObject({
      usedAt: null,
    });
    expect(await tdb.db.prisma.telegramChat.count({ where: { chatId: group } })).toBe(0);
    // the refusals themselves do not count: once the first failure leaves the window, one try
    world.clock.advance(LINK_FAILURE_WINDOW_MS - 5 * MINUTE - 1);
    expect(JSON.parse(await refusal(post(one, code))).params.minutes).toBe(1);
    world.clock.advance(1);
    const linked = await post(two, code);
    expect(linked).toMatchObject({ userId: paul.actor.id, telegramChatId: group });
  });

  it("refuses every code in a chat after five wrong ones there, whoever posted them", async () => {
    const posters = await Promise.all(
      Array.from({ length: LINK_FAILURE_LIMIT + 1 }, (_, i) =>
        userWithPrivateChat(world, one, `Poster${i}`),
      ),
    );
    const group = groupChatId();
    for (const [i, p] of posters.slice(0, LINK_FAILURE_LIMIT).entries()) {
      await refusal(
        (i % 2 ? one : two).linkChat({
          code: "YYYYYYYY",
          chatId: group,
          chatType: "GROUP",
          fromTelegramUserId: p.telegramUserId,
        }),
      );
    }
    const last = posters.at(-1)!;
    const { code } = await one.createLinkCode(last.actor);
    const here = { code, chatType: "GROUP" as const, fromTelegramUserId: last.telegramUserId };
    expect(await refusal(two.linkChat({ ...here, chatId: group }))).toContain(
      "error-chat-link-too-many",
    );
    // his own count is clean: the same code links another group at once
    const elsewhere = groupChatId();
    expect(await one.linkChat({ ...here, chatId: elsewhere })).toMatchObject({
      userId: last.actor.id,
      telegramChatId: elsewhere,
    });
    // a channel post has no author: the channel's own count is what limits it
    const channel = groupChatId();
    for (let i = 0; i < LINK_FAILURE_LIMIT; i++)
      await refusal(
        one.linkChat({
          code: "XXXXXXXX",
          chatId: channel,
          chatType: "CHANNEL",
          verifiedAdmin: true,
        }),
      );
    const fresh = await one.createLinkCode(last.actor);
    expect(
      await refusal(
        two.linkChat({
          code: fresh.code,
          chatId: channel,
          chatType: "CHANNEL",
          verifiedAdmin: true,
        }),
      ),
    ).toContain("error-chat-link-too-many");
  });
});
