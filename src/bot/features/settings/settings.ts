// /settings: language, time zone (common zones as buttons, any IANA zone typed) and the default
// portfolio, as an inline menu (@grammyjs/menu) that updates in place. Every press re-checks that
// the person is still approved.
import { type Menu, MenuRange } from "@grammyjs/menu";
import { CheckedMenu } from "../../checked-menu.ts";
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { SUPPORTED_LOCALES } from "../../../config.ts";
import { formatOffset } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext, BotConversation, ConvContext } from "../../context.ts";
import { pickLocale } from "../../i18n.ts";
import { replyFmt } from "../../format/reply.ts";
import { COMMON_TIME_ZONES } from "../../keyboards.ts";
import { staleMenu } from "../../stale-menu.ts";
import { menuPage, menuPageOf } from "../../menu-pages.ts";
import { PORTFOLIO_PAGE_SIZE } from "../portfolios/portfolio-menu.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import { reask } from "../../conversations/ask.ts";

export const LANGUAGE_LABELS: Record<string, string> = { en: "English", ru: "Русский" };
export const SETTINGS_TIME_ZONE = "settings-time-zone";

async function settingsText(ctx: ActorContext): Promise<FormattedString> {
  const user = ctx.user;
  const locale = pickLocale(user.language, user.telegramLanguage, ctx.deps.config.DEFAULT_LOCALE);
  const portfolios = await ctx.deps.services.portfolios.listPortfolios(ctx.actor).catch(() => []);
  const def = portfolios.find((p) => p.isDefault)?.name ?? ctx.t("settings-none");
  const language = `${LANGUAGE_LABELS[locale] ?? locale}${user.language ? "" : ` (${ctx.t("settings-from-telegram")})`}`;
  return fmt`${FormattedString.b(ctx.t("settings-title"))}\n\n${ctx.t("settings-language")}: ${language}\n${ctx.t("settings-time-zone")}: ${user.timeZone} (${formatOffset(user.timeZone)})\n${ctx.t("settings-default-portfolio")}: ${def}`;
}

/**
 * Redraws the menu's message with fresh text. No reply_markup here on purpose: the menu plugin
 * puts in the menu being shown (or the one ctx.menu.nav chose), in this very edit. Passing the
 * menu as well made the plugin send a second edit after the handler for the nav, which Telegram
 * refuses as "message is not modified" (the user saw an error after a change that had worked).
 */
async function redraw(ctx: ActorContext): Promise<void> {
  const text = await settingsText(ctx);
  await ctx.editMessageText(text.text, { entities: text.entities }).catch((e: unknown) => {
    if (!(e instanceof Error && /message is not modified/.test(e.message))) throw e;
  });
}

/** Reloads the user after a change so the redraw and the i18n negotiator see it. */
async function refreshUser(ctx: ActorContext): Promise<void> {
  ctx.user = await ctx.deps.services.users.getById(ctx.user.id);
  ctx.actor = ctx.deps.services.users.actorOf(ctx.user);
}

export function createSettingsMenu(): CheckedMenu<BotContext> {
  const main = new CheckedMenu<BotContext>("settings", { onMenuOutdated: staleMenu });
  const languages = new CheckedMenu<BotContext>("settings-lang", { onMenuOutdated: staleMenu });
  const zones = new CheckedMenu<BotContext>("settings-tz", { onMenuOutdated: staleMenu });
  const portfolios = new CheckedMenu<BotContext>("settings-pf", { onMenuOutdated: staleMenu });

  main
    .submenu((ctx) => `🌐 ${ctx.t("settings-language")}`, "settings-lang")
    .submenu((ctx) => `🕒 ${ctx.t("settings-time-zone")}`, "settings-tz")
    .row()
    .submenu((ctx) => `📁 ${ctx.t("settings-default-portfolio")}`, "settings-pf");

  languages.dynamic((ctx) => {
    const range = new MenuRange<BotContext>();
    for (const locale of SUPPORTED_LOCALES) {
      const mark = ctx.user?.language === locale ? "✓ " : "";
      range.text(`${mark}${LANGUAGE_LABELS[locale]}`, async (c) => {
        if (!inScope(c, "user")) return refuse(c, "user");
        await c.deps.services.users.updateSettings(c.actor, { language: locale });
        await refreshUser(c);
        c.i18n.useLocale(locale);
        c.menu.nav("settings");
        await redraw(c);
      });
    }
    return range;
  });
  languages.row().back((ctx) => `« ${ctx.t("settings-back")}`);

  zones.dynamic((ctx) => {
    const range = new MenuRange<BotContext>();
    COMMON_TIME_ZONES.forEach((zone, i) => {
      const mark = ctx.user?.timeZone === zone ? "✓ " : "";
      range.text(`${mark}${zone}`, async (c) => {
        if (!inScope(c, "user")) return refuse(c, "user");
        await c.deps.services.users.updateSettings(c.actor, { timeZone: zone });
        await refreshUser(c);
        c.menu.nav("settings");
        await redraw(c);
      });
      if (i % 2 === 1) range.row();
    });
    return range;
  });
  zones
    .row()
    .text(
      (ctx) => `✏️ ${ctx.t("settings-other-zone")}`,
      async (ctx) => {
        if (!inScope(ctx, "user")) return refuse(ctx, "user");
        await ctx.conversation.enter(SETTINGS_TIME_ZONE);
      },
    )
    .row()
    .back((ctx) => `« ${ctx.t("settings-back")}`);

  portfolios.dynamic(async (ctx) => {
    const range = new MenuRange<BotContext>();
    const list = ctx.actor
      ? await ctx.deps.services.portfolios.listPortfolios(ctx.actor).catch(() => [])
      : [];
    if (!list.length)
      range.text(
        (c) => c.t("settings-no-portfolios"),
        (c) => c.answerCallbackQuery({ text: c.t("settings-no-portfolios-hint") }),
      );
    const page = menuPageOf(ctx, list, PORTFOLIO_PAGE_SIZE);
    for (const p of page.items) {
      range
        .text({ text: `${p.isDefault ? "✓ " : ""}${p.name}`, payload: page.payload }, async (c) => {
          if (!inScope(c, "user")) return refuse(c, "user");
          await c.deps.services.portfolios.setDefaultPortfolio(c.actor, p.id);
          c.menu.nav("settings");
          await redraw(c);
        })
        .row();
    }
    page.addPager(range, async (c) => c.menu.update());
    return range;
  });
  // the page on screen as payload: the plugin draws that page to find the button (menu-pages.ts)
  portfolios.back({
    text: (ctx) => `« ${ctx.t("settings-back")}`,
    payload: (ctx) => String(menuPage(ctx)),
  });

  main.register([languages, zones, portfolios]);
  return main;
}

/** Typing a time zone that is not among the buttons; re-asks until it is valid or /cancel. */
export async function settingsTimeZone(
  conversation: BotConversation,
  ctx: ConvContext,
): Promise<void> {
  await ctx.reply(ctx.t("settings-type-zone", { example: "America/Sao_Paulo" }));
  for (;;) {
    const answer = await conversation.waitFor("message:text", {
      otherwise: reask("settings-type-zone-again"),
    });
    const text = answer.message.text.trim();
    if (text === "/cancel") {
      await answer.reply(answer.t("conversation-canceled"));
      return;
    }
    const saved = await conversation.external(async (c) => {
      if (!c.actor) return null;
      try {
        const user = await c.deps.services.users.updateSettings(c.actor, { timeZone: text });
        return user.timeZone;
      } catch {
        return null;
      }
    });
    if (saved) {
      await answer.reply(
        answer.t("settings-zone-saved", { zone: saved, offset: formatOffset(saved) }),
      );
      return;
    }
    await answer.reply(
      answer.t("error-invalid-time-zone", { value: text.slice(0, 64), example: "Europe/Berlin" }),
    );
  }
}

export function registerSettings(registry: CommandRegistry, menu: Menu<BotContext>): void {
  registry.add({
    name: "settings",
    scope: "user",
    group: "settings",
    descriptionKey: "cmd-settings",
    exampleKey: "cmd-settings-example",
    handler: async (ctx) => replyFmt(ctx, await settingsText(ctx), menu),
  });
}
