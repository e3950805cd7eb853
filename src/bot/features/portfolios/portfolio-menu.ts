// /portfolio's inline menu: the portfolios listed a page at a time with the active one marked;
// one tap switches the active portfolio for every following command and the menu redraws in
// place; new, rename, delete with confirmation (a refusal offers the ways out, see
// portfolio-deletion.ts), make default.
import { MenuRange } from "@grammyjs/menu";
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { isDomainError } from "../../../domain/errors.ts";
import { CheckedMenu } from "../../checked-menu.ts";
import { type ActorContext, type BotContext, withActor } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { accountKind } from "../../format/account-kind.ts";
import { replyFmt } from "../../format/reply.ts";
import { menuPage, menuPageOf } from "../../menu-pages.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { pageWindow } from "../../pagination.ts";
import { staleMenu } from "../../stale-menu.ts";
import { flattenButtons, isNotFlat, retiredText } from "./portfolio-deletion.ts";
import { NEW_PORTFOLIO, RENAME_PORTFOLIO } from "./portfolio-setup.ts";

/** Portfolios per page of /portfolio: the text lists them and the menu has a button for each. */
export const PORTFOLIO_PAGE_SIZE = 8;

export async function portfolioText(ctx: ActorContext): Promise<FormattedString> {
  const list = await ctx.deps.services.portfolios.listPortfolios(ctx.actor);
  const title = FormattedString.b(ctx.t("portfolio-title"));
  if (!list.length) return fmt`${title}\n\n${ctx.t("portfolio-none")}`;
  const active = list.find((p) => p.isActive);
  const window = pageWindow(list.length, menuPage(ctx), PORTFOLIO_PAGE_SIZE);
  const lines = list
    .slice(window.offset, window.offset + window.size)
    .map(
      (p) =>
        fmt`${p.isActive ? "▶️" : "▫️"} ${p.isActive ? FormattedString.b(p.name) : p.name} — ${p.accountName} · ${p.brokerCode}${accountKind(ctx.t.bind(ctx), p)} · ${p.baseCurrency}${p.isDefault ? ` · ⭐ ${ctx.t("portfolio-default")}` : ""}`,
    );
  return fmt`${title}\n${ctx.t("portfolio-tap-to-switch")}\n\n${FormattedString.join(lines, "\n")}\n\n${ctx.t("portfolio-active", { name: active?.name ?? "—" })}`;
}

/**
 * Redraws the menu's message with fresh text. No reply_markup here on purpose: the menu plugin
 * puts in the menu being shown (or the one ctx.menu.nav chose), in this very edit. Passing the
 * menu as well made the plugin send a second edit after the handler for the nav, which Telegram
 * refuses as "message is not modified" (the user saw an error after a change that had worked).
 */
async function redraw(ctx: ActorContext): Promise<void> {
  const text = await portfolioText(ctx);
  await ctx.editMessageText(text.text, { entities: text.entities }).catch((e: unknown) => {
    if (!(e instanceof Error && /message is not modified/.test(e.message))) throw e;
  });
}

async function explainFailure(ctx: BotContext, e: unknown): Promise<void> {
  if (!isDomainError(e)) throw e;
  await ctx.answerCallbackQuery({
    text: describeDomainError((k, p) => ctx.t(k, p), e).slice(0, 200),
    show_alert: true,
  });
}

export function createPortfolioMenu(): CheckedMenu<BotContext> {
  const menu = new CheckedMenu<BotContext>("portfolios", {
    onMenuOutdated: staleMenu,
    autoAnswer: false,
  });
  const confirmDelete = new CheckedMenu<BotContext>("portfolios-delete", {
    onMenuOutdated: staleMenu,
    autoAnswer: false,
  });

  menu.dynamic(async (ctx) => {
    const range = new MenuRange<BotContext>();
    const list = ctx.actor
      ? await ctx.deps.services.portfolios.listPortfolios(ctx.actor).catch(() => [])
      : [];
    const page = menuPageOf(ctx, list, PORTFOLIO_PAGE_SIZE);
    const payload = page.payload;
    for (const p of page.items) {
      range
        .text({ text: `${p.isActive ? "✅ " : ""}${p.name}`, payload }, async (c) => {
          if (!inScope(c, "user")) return refuse(c, "user");
          try {
            await c.deps.services.portfolios.setActivePortfolio(c.actor, p.id);
          } catch (e) {
            return explainFailure(c, e);
          }
          await c.answerCallbackQuery({ text: c.t("portfolio-switched", { name: p.name }) });
          await redraw(c);
        })
        .row();
    }
    page.addPager(range, (c) => redraw(withActor(c)));
    return range;
  });
  // the actions on the active portfolio only when there is one: with none, "New" is all there is
  const makeDefault = async (ctx: BotContext) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    try {
      const active = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor);
      await ctx.deps.services.portfolios.setDefaultPortfolio(ctx.actor, active.id);
      await ctx.answerCallbackQuery({
        text: ctx.t("portfolio-default-set", { name: active.name }),
      });
    } catch (e) {
      return explainFailure(ctx, e);
    }
    await redraw(ctx);
  };
  const rename = async (ctx: BotContext) => {
    if (!inScope(ctx, "user")) return refuse(ctx, "user");
    try {
      const active = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor);
      await ctx.answerCallbackQuery();
      await ctx.conversation.enter(RENAME_PORTFOLIO, active.id);
    } catch (e) {
      return explainFailure(ctx, e);
    }
  };
  menu.dynamic(async (ctx) => {
    const range = new MenuRange<BotContext>();
    const any = ctx.actor
      ? (await ctx.deps.services.portfolios.listPortfolios(ctx.actor).catch(() => [])).length > 0
      : false;
    // the page on screen as payload here too: these rows sit below the page's rows, so the
    // plugin must draw that page to find them (see menu-pages.ts)
    const payload = String(menuPage(ctx));
    range.text(
      { text: (c) => `➕ ${c.t(any ? "portfolio-new" : "portfolio-create-first")}`, payload },
      async (c) => {
        if (!inScope(c, "user")) return refuse(c, "user");
        await c.answerCallbackQuery();
        await c.conversation.enter(NEW_PORTFOLIO);
      },
    );
    if (!any) return range;
    range
      .text({ text: (c) => `⭐ ${c.t("portfolio-make-default")}`, payload }, makeDefault)
      .row()
      .text({ text: (c) => `✏️ ${c.t("portfolio-rename")}`, payload }, rename)
      .submenu({ text: (c) => `🗑 ${c.t("portfolio-delete")}`, payload }, "portfolios-delete", (c) =>
        c.answerCallbackQuery(),
      );
    return range;
  });

  confirmDelete
    .text(
      (ctx) => `🗑 ${ctx.t("portfolio-delete-confirm")}`,
      async (ctx) => {
        if (!inScope(ctx, "user")) return refuse(ctx, "user");
        let portfolioId: number | null = null;
        try {
          const active = await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor);
          portfolioId = active.id;
          const result = await ctx.deps.services.portfolios.deletePortfolio(ctx.actor, active.id);
          await ctx.answerCallbackQuery({ text: retiredText(ctx.t.bind(ctx), result) });
        } catch (e) {
          if (portfolioId !== null && isNotFlat(e)) {
            // refused: say why and offer the ways out in a message of its own
            await ctx.answerCallbackQuery();
            ctx.menu.nav("portfolios");
            await redraw(ctx);
            await replyFmt(ctx, fmt`${describeDomainError((k, p) => ctx.t(k, p), e)}`, {
              inline_keyboard: await flattenButtons(ctx, portfolioId),
            });
            return;
          }
          return explainFailure(ctx, e);
        }
        ctx.menu.nav("portfolios");
        await redraw(ctx);
      },
    )
    .row()
    .back(
      (ctx) => `« ${ctx.t("portfolio-delete-keep")}`,
      (ctx) => ctx.answerCallbackQuery(),
    );

  menu.register(confirmDelete);
  return menu;
}
