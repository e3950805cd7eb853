// @grammyjs/menu trusts the row and column in a button's callback data when a menu has
// onMenuOutdated: false (ours do: a press acts on what the button named when it was drawn). A
// forged or stale press naming a row the menu does not have now made the plugin throw a
// TypeError (found by the fuzzer in test/adversarial): the user got the "unexpected error"
// apology and the log an error line. CheckedMenu can tell whether a press names a button that
// exists as the menu renders now; menuPressGuard, in front of the menus, answers the others as
// stale buttons and lets them go no further.
import { Menu } from "@grammyjs/menu";
import type { Context, MiddlewareFn } from "grammy";
import type { BotContext } from "./context.ts";

export class CheckedMenu<C extends Context> extends Menu<C> {
  /**
   * null: the data is not a press on this menu tree (the plugin passes it on); true: it names a
   * button the menu has now; false: it names a menu of this tree but no button of it.
   */
  async names(ctx: C, data: string): Promise<boolean | null> {
    // the plugin's format: id/row/col/payload/type+hash, row and col in hexadecimal
    const [id = "", rowText, colText, payload, ...rest] = data.split("/");
    const menu = this.index.get(id);
    if (!menu || !rowText || !colText) return null;
    const type = rest.join("/")[0];
    if (type !== "h" && type !== "f") return null;
    const row = parseInt(rowText, 16);
    const col = parseInt(colText, 16);
    if (!Number.isSafeInteger(row) || !Number.isSafeInteger(col) || row < 0 || col < 0)
      return false;
    if (!(menu instanceof CheckedMenu)) return true;
    // a paged menu draws the page its buttons carry as payload (the plugin sets ctx.match to it
    // before handling the press, so the guard must render the same page)
    if (payload) ctx.match = payload;
    const button = (await menu.render(ctx))[row]?.[col];
    return button !== undefined && "callback_data" in button;
  }
}

export function menuPressGuard(
  menus: readonly CheckedMenu<BotContext>[],
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const data = ctx.callbackQuery?.data;
    if (data === undefined) return next();
    for (const menu of menus) {
      const names = await menu.names(ctx, data);
      if (names === null) continue;
      if (names) return next();
      await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
      return;
    }
    return next();
  };
}
