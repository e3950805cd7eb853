// A button press may be answered once; Telegram refuses a second answerCallbackQuery. The menu
// plugin's autoAnswer answers every press (blank) alongside the button's handler, so a handler
// that answers with a text of its own (a hint, a refusal) made the second call: it failed, the
// error boundary logged it and the user saw an apology (found by the fuzzer: the admin's
// "/settings → Default portfolio → no portfolios yet" button). Here a blank answer waits until
// the update is handled and is sent only if nothing else answered meanwhile; answers with a text
// go out at once, as before.
import type { MiddlewareFn } from "grammy";
import type { BotContext } from "../context.ts";

type AnswerArgs = Parameters<BotContext["answerCallbackQuery"]>;

export function answerOnce(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    const answer = ctx.answerCallbackQuery.bind(ctx);
    let answered = false;
    let blankWanted = false;
    ctx.answerCallbackQuery = async (...args: AnswerArgs) => {
      const [other] = args;
      const blank = other === undefined || (typeof other === "object" && !other.text && !other.url);
      if (blank) {
        blankWanted = true;
        return true;
      }
      answered = true;
      return answer(...args);
    };
    // when the handler throws, no blank answer: the error boundary answers with the reason
    await next();
    if (blankWanted && !answered) await answer();
  };
}
