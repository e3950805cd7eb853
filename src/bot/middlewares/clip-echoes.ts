// Answers often repeat what the user typed ("I don't understand “…”", "You have no strategy
// “…”"). Typed text may be 4,096 characters, and one echo of it (or two) made the answer longer
// than Telegram accepts: the send failed and the user got nothing (found by the fuzzer in
// test/adversarial). After i18n, this wraps ctx.t so that a parameter which is a long piece of
// the message being answered is clipped to MAX_ECHOED_PARAM characters. Parameters the bot
// built itself (lists, tables) are not pieces of the user's text and stay whole.
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.ts";
import { MAX_ECHOED_PARAM, clipEchoed } from "../errors.ts";

type Params = Parameters<BotContext["t"]>[1];

export function clipEchoes(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const typed = ctx.message?.text ?? ctx.message?.caption ?? ctx.channelPost?.text;
    if (typed !== undefined && typed.length > MAX_ECHOED_PARAM) {
      // echoes are often upper-cased (symbols) or have their spaces collapsed
      const norm = (text: string) => text.replace(/\s+/g, " ").toLowerCase();
      const haystack = norm(typed);
      const translate = ctx.t;
      const clip = (params: Params): Params => {
        if (!params) return params;
        const out: NonNullable<Params> = {};
        for (const [key, value] of Object.entries(params))
          out[key] =
            typeof value === "string" &&
            value.length > MAX_ECHOED_PARAM &&
            haystack.includes(norm(value))
              ? clipEchoed(value)
              : value;
        return out;
      };
      ctx.t = ctx.translate = (key, params) => translate(key, clip(params));
    }
    await next();
  };
}
