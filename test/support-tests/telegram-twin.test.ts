// The Telegram twin driven by a real grammY bot over HTTP: polling, replies, keyboards,
// Telegram's validation errors surfacing as GrammyError, blocking, uploads and commands.
import { GrammyError, HttpError, InlineKeyboard, InputFile } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TelegramTwin } from "../support/telegram-twin/index.ts";
import { type RunningBot, startBot } from "./twin-harness.ts";

let twin: TelegramTwin;
let running: RunningBot | undefined;

beforeEach(async () => {
  twin = await TelegramTwin.start();
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await twin.stop();
});

async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GrammyError);
  return error as GrammyError;
}

describe("polling and replies", () => {
  it("answers getMe with the configured bot", async () => {
    running = await startBot(twin, () => {});
    expect(running.bot.botInfo).toMatchObject({
      id: 123456,
      is_bot: true,
      username: "tradedesk_test_bot",
      can_read_all_group_messages: false,
    });
  });

  it("delivers a command by long polling and records the HTML reply as the user sees it", async () => {
    running = await startBot(twin, (bot) => {
      bot.command("start", (ctx) =>
        ctx.reply(
          `Hello, <b>${ctx.from?.first_name ?? ""}</b> &amp; welcome! (args: ${ctx.match})`,
          {
            parse_mode: "HTML",
          },
        ),
      );
    });
    const alice = twin.user({ id: 1001, first_name: "Alice", language_code: "en" });
    const sent = alice.send("/start@tradedesk_test_bot deep-link");
    expect(sent.entities).toEqual([{ type: "bot_command", offset: 0, length: 25 }]);

    const reply = await twin.waitForMessage(alice.chatId);
    expect(reply.text).toBe("Hello, Alice & welcome! (args: deep-link)");
    expect(reply.html).toBe("Hello, <b>Alice</b> &amp; welcome! (args: deep-link)");
    expect(reply.parse_mode).toBe("HTML");
    expect(reply.entities).toEqual([{ type: "bold", offset: 7, length: 5 }]);
    expect(reply.message.from?.username).toBe("tradedesk_test_bot");
    await twin.waitForIdle();
    expect(twin.pendingUpdates()).toEqual([]);
    expect(running.errors).toEqual([]);
  });

  it("delivers updates injected together in one batch and confirms them by offset", async () => {
    const seen: string[] = [];
    running = await startBot(twin, (bot) => {
      bot.on("message:text", (ctx) => {
        seen.push(ctx.message.text);
      });
    });
    const bob = twin.user({ id: 1002, first_name: "Bob" });
    bob.send("one");
    bob.send("two");
    bob.send("three");
    await twin.waitForIdle();
    expect(seen).toEqual(["one", "two", "three"]);
    const polls = twin
      .callsTo("getUpdates")
      .filter((call) => Array.isArray(call.response?.ok && call.response.result));
    expect(
      polls.some((call) => call.response?.ok && (call.response.result as unknown[]).length === 3),
    ).toBe(true);
  });
});

describe("waiting for idle", () => {
  it("waits for work in hand that only the bot can see, and says whose it is on timeout", async () => {
    let inHand = 1;
    const unwatch = twin.watchWork("app", () => inHand);
    let idle = false;
    const waiting = twin.waitForIdle({ quietMs: 20 }).then(() => {
      idle = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(idle).toBe(false);
    // the work ends without any request to the twin: the probe alone must notice
    inHand = 0;
    await waiting;
    expect(idle).toBe(true);

    inHand = 2;
    await expect(twin.waitForIdle({ timeoutMs: 100 })).rejects.toThrow(/Work in hand: app/);
    unwatch();
    await twin.waitForIdle({ quietMs: 10 });
  });
});

describe("inline keyboards", () => {
  it("turns a button press into a callback_query and an in-place edit", async () => {
    running = await startBot(twin, (bot) => {
      bot.command("menu", (ctx) =>
        ctx.reply("Pick a side", {
          reply_markup: new InlineKeyboard().text("Buy", "side:buy").text("Sell", "side:sell"),
        }),
      );
      bot.callbackQuery(/^side:(.+)$/, async (ctx) => {
        await ctx.answerCallbackQuery({ text: `Chose ${ctx.match[1] ?? ""}` });
        await ctx.editMessageText(`You chose <i>${ctx.match[1] ?? ""}</i>`, {
          parse_mode: "HTML",
          reply_markup: new InlineKeyboard().text("Back", "back"),
        });
      });
    });
    const carol = twin.user({ id: 1003, first_name: "Carol" });
    carol.send("/menu");
    const menu = await twin.waitForMessage(carol.chatId, (m) => m.text === "Pick a side");

    const mark = twin.mark();
    const query = carol.press(menu, "Sell");
    expect(query.data).toBe("side:sell");
    expect(query.message?.message_id).toBe(menu.message_id);

    const edited = await twin.waitForMessage(carol.chatId, (m) => m.edits > 0, { since: mark });
    expect(edited.message_id).toBe(menu.message_id);
    expect(edited.text).toBe("You chose sell");
    expect(edited.entities).toEqual([{ type: "italic", offset: 10, length: 4 }]);
    expect(edited.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Back", callback_data: "back" }]],
    });
    expect(edited.history).toHaveLength(1);
    expect(edited.history[0]?.text).toBe("Pick a side");
    expect(edited.message.edit_date).toBeTypeOf("number");
    expect(twin.messages(carol.chatId)).toHaveLength(1);

    const answer = await twin.waitForCallbackAnswer(query.id);
    expect(answer).toMatchObject({ text: "Chose sell", show_alert: false });
    expect(() => carol.press(edited, "Sell")).toThrow(/no button "Sell".*"Back" \(back\)/);
    expect(() => carol.pressButton(edited, "side:buy")).toThrow(/no button with callback_data/);
  });

  it("refuses callback_data over 64 bytes, unchanged edits and a second answer", async () => {
    running = await startBot(twin, () => {});
    const api = running.bot.api;
    const dave = twin.user({ id: 1004, first_name: "Dave" });

    const tooLong = await apiError(
      api.sendMessage(dave.chatId, "x", {
        reply_markup: new InlineKeyboard().text("b", "d".repeat(65)),
      }),
    );
    expect(tooLong.error_code).toBe(400);
    expect(tooLong.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    // 64 bytes of multi-byte characters still fit when the byte count does: 21 × 3 = 63
    await api.sendMessage(dave.chatId, "ok", {
      reply_markup: new InlineKeyboard().text("b", "€".repeat(21)),
    });

    const keyboard = new InlineKeyboard().text("A", "a");
    const message = await api.sendMessage(dave.chatId, "Same", { reply_markup: keyboard });
    const notModified = await apiError(
      api.editMessageText(dave.chatId, message.message_id, "Same", { reply_markup: keyboard }),
    );
    expect(notModified.description).toBe(
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
    // same text without the keyboard is a change: Telegram removes the keyboard
    await api.editMessageText(dave.chatId, message.message_id, "Same");
    expect(twin.lastMessage(dave.chatId)?.reply_markup).toBeUndefined();

    const textButtons = await apiError(
      api.sendMessage(dave.chatId, "x", {
        reply_markup: { inline_keyboard: [[{ text: "plain" } as never]] },
      }),
    );
    expect(textButtons.description).toBe(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );

    const query = dave.press(twin.messages(dave.chatId)[0]?.chat_id ?? 0, 1, 0);
    await api.answerCallbackQuery(query.id);
    const again = await apiError(api.answerCallbackQuery(query.id));
    expect(again.description).toBe(
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
    const longAnswer = dave.press(twin.messages(dave.chatId)[0] ?? never(), 0);
    const tooLongAnswer = await apiError(
      api.answerCallbackQuery(longAnswer.id, { text: "x".repeat(201) }),
    );
    expect(tooLongAnswer.description).toBe("Bad Request: MESSAGE_TOO_LONG");
  });
});

function never(): never {
  throw new Error("unreachable");
}

describe("Telegram's validation errors", () => {
  it("surfaces HTML parse errors, lengths and missing chats as GrammyError", async () => {
    running = await startBot(twin, () => {});
    const api = running.bot.api;
    const erin = twin.user({ id: 1005, first_name: "Erin" });

    const unsupported = await apiError(
      api.sendMessage(erin.chatId, "Price <= 10 <div>x</div>", { parse_mode: "HTML" }),
    );
    expect(unsupported.error_code).toBe(400);
    expect(unsupported.description).toBe(
      'Bad Request: can\'t parse entities: Unsupported start tag "=" at byte offset 6',
    );
    const unmatched = await apiError(
      api.sendMessage(erin.chatId, "<b>bold</i>", { parse_mode: "HTML" }),
    );
    expect(unmatched.description).toBe(
      'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 7, expected "</b>", found "</i>"',
    );

    const empty = await apiError(api.sendMessage(erin.chatId, ""));
    expect(empty.description).toBe("Bad Request: message text is empty");
    const blank = await apiError(
      api.sendMessage(erin.chatId, "<b> </b>\n", { parse_mode: "HTML" }),
    );
    expect(blank.description).toBe("Bad Request: text must be non-empty");

    await api.sendMessage(erin.chatId, "a".repeat(4096));
    const tooLong = await apiError(api.sendMessage(erin.chatId, "a".repeat(4097)));
    expect(tooLong.description).toBe("Bad Request: message is too long");
    // the limit applies after entity parsing: tags do not count
    await api.sendMessage(erin.chatId, `<b>${"a".repeat(4096)}</b>`, { parse_mode: "HTML" });

    const noChat = await apiError(api.sendMessage(424242, "hi"));
    expect(noChat.description).toBe("Bad Request: chat not found");

    const editMissing = await apiError(api.editMessageText(erin.chatId, 999, "x"));
    expect(editMissing.description).toBe("Bad Request: message to edit not found");
    const deleteMissing = await apiError(api.deleteMessage(erin.chatId, 999));
    expect(deleteMissing.description).toBe("Bad Request: message to delete not found");
  });

  it("answers 401 for unknown tokens and 404 for unknown methods, on GET and POST", async () => {
    const unauthorized = await fetch(`${twin.apiRoot}/bot999:NOPE/getMe`);
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({
      ok: false,
      error_code: 401,
      description: "Unauthorized",
    });
    const notFound = await fetch(`${twin.apiRoot}/bot${twin.bot.token}/sendTelepathy`, {
      method: "POST",
    });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ ok: false, error_code: 404, description: "Not Found" });

    // method names are case-insensitive, parameters may come as a query string or a form
    const frank = twin.user({ id: 1006, first_name: "Frank" });
    const viaGet = await fetch(
      `${twin.apiRoot}/bot${twin.bot.token}/SENDMESSAGE?chat_id=${frank.chatId}&text=hi`,
    );
    expect(((await viaGet.json()) as { ok: boolean }).ok).toBe(true);
    const viaForm = await fetch(`${twin.apiRoot}/bot${twin.bot.token}/sendMessage`, {
      method: "POST",
      body: new URLSearchParams({
        chat_id: String(frank.chatId),
        text: "*bold*",
        parse_mode: "MarkdownV2",
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: "go", callback_data: "go" }]] }),
      }),
    });
    expect(viaForm.status).toBe(200);
    expect(twin.lastMessage(frank.chatId)).toMatchObject({
      text: "bold",
      entities: [{ type: "bold", offset: 0, length: 4 }],
      reply_markup: { inline_keyboard: [[{ text: "go", callback_data: "go" }]] },
    });
  });
});

describe("blocked chats", () => {
  it("answers 403 when the user blocked the bot, and tells the bot with my_chat_member", async () => {
    const statuses: string[] = [];
    running = await startBot(twin, (bot) => {
      bot.on("my_chat_member", (ctx) => {
        statuses.push(ctx.myChatMember.new_chat_member.status);
      });
    });
    const api = running.bot.api;
    const grace = twin.user({ id: 1007, first_name: "Grace" });
    await api.sendMessage(grace.chatId, "before");

    grace.blockBot();
    const blocked = await apiError(api.sendMessage(grace.chatId, "after"));
    expect(blocked.error_code).toBe(403);
    expect(blocked.description).toBe("Forbidden: bot was blocked by the user");
    await twin.waitFor(() => (statuses.length > 0 ? true : undefined), {
      description: "my_chat_member",
    });
    expect(statuses).toEqual(["kicked"]);

    grace.unblockBot();
    await api.sendMessage(grace.chatId, "again");

    twin.blockChat(grace.chatId);
    expect((await apiError(api.sendMessage(grace.chatId, "x"))).error_code).toBe(403);
    twin.unblockChat(grace.chatId);

    const stranger = twin.user({ id: 1008, first_name: "Heidi", started: false });
    const initiate = await apiError(api.sendMessage(stranger.chatId, "hello?"));
    expect(initiate.description).toBe("Forbidden: bot can't initiate conversation with a user");
  });

  it("reproduces groups: joining, privacy mode, admin checks and being kicked", async () => {
    const received: string[] = [];
    running = await startBot(twin, (bot) => {
      bot.on("message:text", (ctx) => {
        received.push(ctx.message.text);
      });
    });
    const api = running.bot.api;
    const owner = twin.user({ id: 2001, first_name: "Olga" });
    const member = twin.user({ id: 2002, first_name: "Mike" });
    const group = twin
      .group({ id: -1001234567890, title: "Traders" })
      .addMember(owner, "creator")
      .addMember(member);

    const notMember = await apiError(api.sendMessage(group.id, "hi"));
    expect(notMember.description).toBe("Forbidden: bot is not a member of the supergroup chat");

    group.addBot();
    member.send("just chatting", { chat: group });
    member.send("/status", { chat: group });
    member.send("/status@other_bot", { chat: group });
    await twin.waitForIdle();
    expect(received).toEqual(["/status"]);
    expect(twin.callsTo("getUpdates").length).toBeGreaterThan(0);

    expect((await api.getChatMember(group.id, owner.id)).status).toBe("creator");
    expect((await api.getChatMember(group.id, member.id)).status).toBe("member");
    expect(
      (await api.getChatMember(group.id, 2003).catch((e: GrammyError) => e.description)) as string,
    ).toBe("Bad Request: PARTICIPANT_ID_INVALID");

    const own = await api.sendMessage(group.id, "hello group");
    await api.deleteMessage(group.id, own.message_id);
    expect(twin.messages(group.id)[0]?.deleted).toBe(true);
    const othersMessage = twin.chatLog(group.id).find((m) => m.text === "just chatting") ?? never();
    const cannotDelete = await apiError(api.deleteMessage(group.id, othersMessage.message_id));
    expect(cannotDelete.description).toBe("Bad Request: message can't be deleted");

    group.removeBot({ ban: true });
    const kicked = await apiError(api.sendMessage(group.id, "still here?"));
    expect(kicked.description).toBe("Forbidden: bot was kicked from the supergroup chat");
  });
});

describe("uploads", () => {
  it("records a photo uploaded from a Buffer byte for byte, with its caption", async () => {
    running = await startBot(twin, () => {});
    const api = running.bot.api;
    const ivan = twin.user({ id: 1009, first_name: "Ivan" });
    // a 3×2 PNG header followed by arbitrary bytes (all 256 values, to catch encoding slips)
    const png = Buffer.concat([
      Buffer.from("89504e470d0a1a0a0000000d49484452000000030000000208060000", "hex"),
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    ]);

    const sent = await api.sendPhoto(ivan.chatId, new InputFile(png, "chart.png"), {
      caption: "<b>BTC</b> 1h",
      parse_mode: "HTML",
    });
    expect(sent.photo?.[0]).toMatchObject({ width: 3, height: 2, file_size: png.length });
    expect(sent.caption).toBe("BTC 1h");

    const message = twin.lastMessage(ivan.chatId) ?? never();
    expect(message.photo?.bytes?.equals(png)).toBe(true);
    expect(message.photo).toMatchObject({
      source: "upload",
      fileName: "chart.png",
      mimeType: "image/png",
    });
    expect(message).toMatchObject({
      caption: "BTC 1h",
      caption_html: "<b>BTC</b> 1h",
      caption_parse_mode: "HTML",
      caption_entities: [{ type: "bold", offset: 0, length: 3 }],
    });

    // re-sending by file_id needs no upload and refers to the same bytes
    const again = await api.sendPhoto(ivan.chatId, message.photo?.file_id ?? "");
    expect(again.photo?.[0]?.file_id).toBe(message.photo?.file_id);
    expect(twin.lastMessage(ivan.chatId)?.photo?.source).toBe("file_id");

    const tooLong = await apiError(
      api.sendPhoto(ivan.chatId, new InputFile(png), { caption: "c".repeat(1025) }),
    );
    expect(tooLong.description).toBe("Bad Request: message caption is too long");
    const unknownId = await apiError(api.sendPhoto(ivan.chatId, "AgACnot-a-real-id"));
    expect(unknownId.description).toBe("Bad Request: wrong file identifier/HTTP URL specified");

    const csv = Buffer.from("date,pnl\n2026-03-10,12.5\n", "utf8");
    const doc = await api.sendDocument(ivan.chatId, new InputFile(csv, "pnl.csv"), {
      caption: "report",
    });
    expect(doc.document).toMatchObject({
      file_name: "pnl.csv",
      mime_type: "text/csv",
      file_size: csv.length,
    });
    expect(twin.lastMessage(ivan.chatId)?.document?.bytes?.toString("utf8")).toBe(
      csv.toString("utf8"),
    );
    const upload = twin.callsTo("sendDocument")[0];
    expect(upload?.files).toEqual([
      expect.objectContaining({ fileName: "pnl.csv", size: csv.length }),
    ]);
  });
});

describe("commands", () => {
  it("stores setMyCommands per scope and language and resolves what each user sees", async () => {
    running = await startBot(twin, () => {});
    const api = running.bot.api;
    const english = twin.user({ id: 1010, first_name: "Judy", language_code: "en" });
    const russian = twin.user({ id: 1011, first_name: "Ivan", language_code: "ru" });
    const admin = twin.user({ id: 1012, first_name: "Ada", language_code: "en" });

    await api.setMyCommands([{ command: "start", description: "Start" }]);
    await api.setMyCommands([{ command: "start", description: "Начать" }], { language_code: "ru" });
    await api.setMyCommands(
      [
        { command: "start", description: "Start" },
        { command: "admin", description: "Administration" },
      ],
      { scope: { type: "chat", chat_id: admin.chatId } },
    );

    expect(await api.getMyCommands()).toEqual([{ command: "start", description: "Start" }]);
    expect(await api.getMyCommands({ language_code: "ru" })).toEqual([
      { command: "start", description: "Начать" },
    ]);
    expect(await api.getMyCommands({ language_code: "de" })).toEqual([]);
    expect(twin.commands({ type: "chat", chat_id: admin.chatId }).map((c) => c.command)).toEqual([
      "start",
      "admin",
    ]);

    expect(twin.commandsFor(english.id)).toEqual([{ command: "start", description: "Start" }]);
    expect(twin.commandsFor(russian.id)).toEqual([{ command: "start", description: "Начать" }]);
    expect(twin.commandsFor(admin.id).map((c) => c.command)).toEqual(["start", "admin"]);

    const invalid = await apiError(api.setMyCommands([{ command: "Bad-Name", description: "x" }]));
    expect(invalid.description).toBe("Bad Request: BOT_COMMAND_INVALID");
    await api.deleteMyCommands({ language_code: "ru" });
    expect(twin.commandsFor(russian.id)).toEqual([{ command: "start", description: "Start" }]);
  });
});

describe("network faults", () => {
  it("drops the connection so grammY reports an HttpError", async () => {
    running = await startBot(twin, () => {});
    const kim = twin.user({ id: 1013, first_name: "Kim" });
    twin.failWithNetworkError({ method: "sendMessage" });
    const error = await running.bot.api.sendMessage(kim.chatId, "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(twin.stats().networkErrors).toBe(1);
    await running.bot.api.sendMessage(kim.chatId, "y");
    expect(twin.messages(kim.chatId).map((m) => m.text)).toEqual(["y"]);
  });
});
