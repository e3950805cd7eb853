// Accounts and portfolios from Telegram: the commands this feature registers — /portfolio (the
// menu, portfolio-menu.ts), /newaccount and /newportfolio (conversations, portfolio-setup.ts and
// live-account.ts), /balance (balance.ts), /deposit, /withdraw and /transfer (paper portfolios'
// cash, cash-commands.ts). Deleting a portfolio: portfolio-deletion.ts; the buttons outside the
// menu: portfolio-buttons.ts.
import type { Menu } from "@grammyjs/menu";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { BotContext } from "../../context.ts";
import { replyFmt } from "../../format/reply.ts";
import { balanceCommand } from "./balance.ts";
import { cashCommand, transferCommand } from "./cash-commands.ts";
import { portfolioText } from "./portfolio-menu.ts";
import { NEW_ACCOUNT, NEW_PORTFOLIO } from "./portfolio-setup.ts";

export function registerPortfolios(registry: CommandRegistry, menu: Menu<BotContext>): void {
  registry.add({
    name: "portfolio",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-portfolio",
    exampleKey: "cmd-portfolio-example",
    handler: async (ctx) => replyFmt(ctx, await portfolioText(ctx), menu),
  });
  registry.add({
    name: "newaccount",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-newaccount",
    exampleKey: "cmd-newaccount-example",
    handler: (ctx) => ctx.conversation.enter(NEW_ACCOUNT),
  });
  registry.add({
    name: "newportfolio",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-newportfolio",
    exampleKey: "cmd-newportfolio-example",
    handler: (ctx) => ctx.conversation.enter(NEW_PORTFOLIO),
  });
  registry.add({
    name: "balance",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-balance",
    exampleKey: "cmd-balance-example",
    handler: balanceCommand,
  });
  registry.add({
    name: "deposit",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-deposit",
    exampleKey: "cmd-deposit-example",
    handler: (ctx) => cashCommand(ctx, "deposit"),
  });
  registry.add({
    name: "withdraw",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-withdraw",
    exampleKey: "cmd-withdraw-example",
    handler: (ctx) => cashCommand(ctx, "withdraw"),
  });
  registry.add({
    name: "transfer",
    scope: "user",
    group: "portfolio",
    descriptionKey: "cmd-transfer",
    exampleKey: "cmd-transfer-example",
    handler: transferCommand,
  });
}
