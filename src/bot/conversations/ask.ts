// Small building blocks for conversations: ask for a button, or for text validated by a
// function, re-asking (with the reason) until the answer is usable or the user sends /cancel.
import type { CallbackReader } from "../callback-data.ts";
import type { BotConversation, ConvContext } from "../context.ts";

export class ConversationCanceled extends Error {
  constructor() {
    super("canceled");
  }
}

const CANCEL = /^\/cancel(@\w+)?$/i;

/**
 * Waits for a press on one of the buttons of `codec`: its typed values (or the value
 * `acceptText` gives typed text: `{ value }`, or `{ error }` to re-ask with that reason). Anything
 * else re-asks with `again`.
 */
export async function askPress<V, T = never>(
  conversation: BotConversation,
  codec: CallbackReader<V>,
  again: string,
  acceptText?: (text: string, ctx: ConvContext) => { value: T } | null | { error: string },
): Promise<{ value: V | T; ctx: ConvContext }> {
  return askFor<V | T>(
    conversation,
    (data) => {
      const value = codec.unpack(data);
      return value === null ? null : { value };
    },
    again,
    acceptText,
  );
}

async function askFor<V>(
  conversation: BotConversation,
  read: (data: string) => { value: V } | null,
  again: string,
  acceptText?: (text: string, ctx: ConvContext) => { value: V } | null | { error: string },
): Promise<{ value: V; ctx: ConvContext }> {
  for (;;) {
    const ctx = await conversation.wait();
    const data = ctx.callbackQuery?.data;
    const pressed = data === undefined ? null : read(data);
    if (pressed) {
      await ctx.answerCallbackQuery();
      await ctx
        .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
        .catch(() => undefined);
      return { value: pressed.value, ctx };
    }
    const text = ctx.message?.text?.trim();
    if (text && CANCEL.test(text)) {
      await ctx.reply(ctx.t("conversation-canceled"));
      throw new ConversationCanceled();
    }
    if (text && acceptText) {
      const answer = acceptText(text, ctx);
      if (answer && "value" in answer) return { value: answer.value, ctx };
      if (answer !== null) {
        await ctx.reply(answer.error);
        continue;
      }
    }
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
    await ctx.reply(again);
  }
}

/**
 * Waits for text; `check` returns the value or an error message to re-ask with. Buttons pressed
 * meanwhile (e.g. "Skip" given as `skipData`) are handled too. When the question carried such a
 * button (`prompt`: the message that asked), a typed answer removes it as pressing it would, so
 * no stale "Skip" is left under an answered question.
 */
export async function askText<T>(
  conversation: BotConversation,
  check: (
    text: string,
    ctx: ConvContext,
  ) => Promise<{ value: T } | { error: string }> | ({ value: T } | { error: string }),
  options: {
    skipData?: string;
    skipValue?: T;
    prompt?: { chat: { id: number }; message_id: number };
  } = {},
): Promise<{ value: T; ctx: ConvContext }> {
  for (;;) {
    const ctx = await conversation.wait();
    if (options.skipData && ctx.callbackQuery?.data === options.skipData) {
      await ctx.answerCallbackQuery();
      await ctx
        .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
        .catch(() => undefined);
      return { value: options.skipValue as T, ctx };
    }
    const text = ctx.message?.text?.trim();
    if (text && CANCEL.test(text)) {
      await ctx.reply(ctx.t("conversation-canceled"));
      throw new ConversationCanceled();
    }
    if (!text) {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
      await ctx.reply(ctx.t("conversation-expect-text"));
      continue;
    }
    const result = await check(text, ctx);
    if ("value" in result) {
      if (options.prompt) await dropButtons(ctx, options.prompt);
      return { value: result.value, ctx };
    }
    await ctx.reply(result.error);
  }
}

/** Runs a conversation body, treating /cancel as a normal end. */
export async function cancellable(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (!(e instanceof ConversationCanceled)) throw e;
  }
}

/** Removes the buttons of a question already answered (it may be gone or already bare: ignored). */
export async function dropButtons(
  ctx: ConvContext,
  prompt: { chat: { id: number }; message_id: number },
): Promise<void> {
  await ctx.api
    .editMessageReplyMarkup(prompt.chat.id, prompt.message_id, {
      reply_markup: { inline_keyboard: [] },
    })
    .catch(() => undefined);
}

/**
 * For waitFor's `otherwise`: a press on some other button is answered as stale (a press left
 * unanswered keeps spinning in the client: found by the fuzzer), then the prompt `key` repeats.
 */
export function reask(key: string): (ctx: ConvContext) => Promise<void> {
  return async (ctx) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
    await ctx.reply(ctx.t(key));
  };
}
