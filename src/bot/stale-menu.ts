// What a press on a menu button does when the menu it came from no longer matches what the
// presser would be shown now (another person's menu data, a menu from before a rename or a new
// portfolio): a short toast and the current menu, never the handler of whichever button now sits
// at that position — nor a crash when no button is there at all.
import type { MenuFlavor } from "@grammyjs/menu";
import type { Middleware } from "grammy";
import type { BotContext } from "./context.ts";

export const staleMenu: Middleware<BotContext & MenuFlavor> = async (ctx) => {
  await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
  ctx.menu.update();
};
