// Long lists are shown a page at a time, all the same way: a row "‹  2/5  ›" under the list whose
// buttons edit the message in place (‹ only after the first page, › only before the last; the
// middle one redraws the page). Each paged list has an id, a page size of its own, and one
// renderer; its buttons carry typed callback data "pg:<list>:<page>[:<arg>]" (the arg is the
// list's filter or period, such as "open" or "week"). Buttons are owner-only like every button
// (middlewares/button-owner.ts): in a group only the person who asked for the list can page it.
import type { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import type { FormattedString } from "@grammyjs/parse-mode";
import { callbackData } from "./callback-data.ts";
import type { ActorContext, BotContext } from "./context.ts";
import { editFmt, type Markup } from "./format/reply.ts";
import { button } from "./keyboards.ts";
import { inScope, refuse } from "./middlewares/access.ts";

export const PAGED_LISTS = [
  "orders",
  "trades",
  "alerts",
  "screeners",
  "schedules",
  "users",
] as const;
export type PagedList = (typeof PAGED_LISTS)[number];

/** What a pager button asks for. */
export interface PageRequest {
  list: PagedList;
  /** 1-based */
  page: number;
  /** the list's own filter or period ("open", "week"); "" when it has none */
  arg: string;
}

const MAX_PAGE = 99_999;
const ARG = /^[A-Za-z0-9_-]{0,32}$/;

/** A list's two shapes of pager button: "pg:<list>:<page>" and "pg:<list>:<page>:<arg>". */
function pagerButtons(list: PagedList) {
  return {
    plain: callbackData("pg", list, { page: "id" }),
    withArg: callbackData("pg", list, { page: "id", arg: "string" }),
  };
}
const PAGER = Object.fromEntries(PAGED_LISTS.map((l) => [l, pagerButtons(l)])) as Record<
  PagedList,
  ReturnType<typeof pagerButtons>
>;

export function pageData(request: PageRequest): string {
  if (!ARG.test(request.arg)) throw new Error(`page argument not allowed: ${request.arg}`);
  const page = Math.min(Math.max(1, Math.trunc(request.page)), MAX_PAGE);
  const codecs = PAGER[request.list];
  return request.arg
    ? codecs.withArg.pack({ page, arg: request.arg })
    : codecs.plain.pack({ page });
}

/**
 * The request a pager button carries, or null when the data is not one (or was tampered with):
 * a page up to MAX_PAGE and an argument pageData could have written, as before the codec.
 */
export function parsePageData(data: string | undefined): PageRequest | null {
  for (const list of PAGED_LISTS) {
    const withArg = PAGER[list].withArg.unpack(data);
    const pressed = withArg ?? PAGER[list].plain.unpack(data);
    if (pressed === null) continue;
    const arg = withArg?.arg ?? "";
    if (pressed.page > MAX_PAGE || !ARG.test(arg)) return null;
    return { list, page: pressed.page, arg };
  }
  return null;
}

/** Which items a page shows: the page asked for, clamped to the pages there are (at least one). */
export interface PageWindow {
  page: number;
  pages: number;
  /** index of the page's first item */
  offset: number;
  size: number;
  total: number;
}

export function pageWindow(total: number, requested: number, size: number): PageWindow {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.trunc(requested) || 1), pages);
  return { page, pages, offset: (page - 1) * size, size, total };
}

/** The "‹  2/5  ›" row; empty when everything fits on one page. */
export function pagerRow(list: PagedList, window: PageWindow, arg = ""): InlineKeyboardButton[] {
  if (window.pages <= 1) return [];
  const at = (page: number) => pageData({ list, page, arg });
  return [
    ...(window.page > 1 ? [button("‹", at(window.page - 1))] : []),
    button(`${window.page}/${window.pages}`, at(window.page)),
    ...(window.page < window.pages ? [button("›", at(window.page + 1))] : []),
  ];
}

export interface PageView {
  text: FormattedString;
  markup: Markup;
}

/**
 * Answers the pager buttons of one list: re-checks the person's access (buttons outlive
 * approvals), renders the page asked for and edits the message in place.
 */
export function onPage(
  composer: Composer<BotContext>,
  list: PagedList,
  scope: "user" | "admin",
  render: (ctx: ActorContext, page: number, arg: string) => Promise<PageView>,
): void {
  // every press in the list's namespace, well-formed or not: after the scope check, one this
  // list's buttons cannot make is answered as stale here
  composer.callbackQuery(new RegExp(`^pg:${list}:`), async (ctx) => {
    if (!inScope(ctx, scope)) return refuse(ctx, scope);
    const request = parsePageData(ctx.callbackQuery.data);
    if (!request) {
      await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
      return;
    }
    const view = await render(ctx, request.page, request.arg);
    await ctx.answerCallbackQuery();
    await editFmt(ctx, view.text, view.markup);
  });
}
