// Paging inside a grammY menu (/portfolio, the default portfolio in /settings): the rows of the
// page on screen and a "‹ 2/3 ›" row. Every button carries the page on screen as its menu
// payload: the menu plugin renders that page again to find which button was pressed (and
// CheckedMenu's guard does the same). An arrow moves ctx.match to the page it shows before the
// redraw, so the text and the buttons drawn in the edit follow it.
import type { MenuFlavor, MenuRange } from "@grammyjs/menu";
import type { BotContext } from "./context.ts";
import { pageWindow } from "./pagination.ts";

/** The page a menu is on: its press's payload, or page 1 for a message sent without one. */
export function menuPage(ctx: BotContext): number {
  return typeof ctx.match === "string" && /^\d{1,5}$/.test(ctx.match) ? Number(ctx.match) : 1;
}

export interface MenuPage<T> {
  /** the items on the page on screen */
  items: T[];
  /** the payload every button of the page carries */
  payload: string;
  /** adds the "‹ n/N ›" row when there is more than one page */
  addPager(
    range: MenuRange<BotContext>,
    redraw: (ctx: BotContext & MenuFlavor) => Promise<void>,
  ): void;
}

export function menuPageOf<T>(ctx: BotContext, all: readonly T[], pageSize: number): MenuPage<T> {
  const window = pageWindow(all.length, menuPage(ctx), pageSize);
  const payload = String(window.page);
  return {
    items: all.slice(window.offset, window.offset + window.size),
    payload,
    addPager(range, redraw) {
      if (window.pages <= 1) return;
      const turn = (delta: number) => async (c: BotContext & MenuFlavor) => {
        c.match = String(menuPage(c) + delta);
        await c.answerCallbackQuery();
        await redraw(c);
      };
      if (window.page > 1) range.text({ text: "‹", payload }, turn(-1));
      range.text({ text: `${window.page}/${window.pages}`, payload }, turn(0));
      if (window.page < window.pages) range.text({ text: "›", payload }, turn(1));
      range.row();
    },
  };
}
