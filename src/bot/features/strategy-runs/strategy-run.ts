// /run, for what the quick syntax left out: which strategy (buttons of the user's strategies),
// which portfolio (buttons, skipped when there is one), which symbols (typed), and for a live
// portfolio a confirmation that real orders will be placed. Database work runs inside
// conversation.external() with serializable results, since a conversation replays.
import { isDomainError } from "../../../domain/errors.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { replyFmt } from "../../format/reply.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import { askPress, askText, cancellable } from "../../conversations/ask.ts";
import { runConfirm, runPickPortfolio, runPickStrategy } from "./callback-data.ts";
import { startedText } from "./strategy-run-text.ts";

export const RUN_STRATEGY = "run-strategy";

export interface RunStrategyArgs {
  name: string | null;
  portfolioId: number | null;
  symbols: string[];
}

const explain = (c: BotContext | ConvContext, e: unknown): string => {
  if (isDomainError(e)) return describeDomainError((k, p) => c.t(k, p), e);
  throw e;
};

export async function runStrategy(
  conversation: BotConversation,
  ctx: ConvContext,
  args: RunStrategyArgs,
): Promise<void> {
  await cancellable(async () => {
    const t = (k: string, p?: Record<string, string | number>) => ctx.t(k, p);
    const setup = await conversation.external(async (c: BotContext) => {
      const { strategies, portfolios } = c.deps.services;
      const [list, folios] = await Promise.all([
        strategies.list(actorOf(c)),
        portfolios.listPortfolios(actorOf(c)),
      ]);
      return {
        strategies: list.map((s) => ({ id: s.id, name: s.name, version: s.version })),
        portfolios: folios
          .filter((p) => !p.archivedAt)
          .map((p) => ({ id: p.id, name: p.name, isPaper: p.isPaper })),
      };
    });

    let name = args.name;
    if (!name) {
      if (!setup.strategies.length) {
        await ctx.reply(t("run-need-strategy"));
        return;
      }
      await ctx.reply(t("run-ask-strategy"), {
        reply_markup: keyboard(
          grid(
            setup.strategies.map((s) =>
              button(`🧠 ${s.name} v${s.version}`, runPickStrategy.pack({ id: s.id })),
            ),
            2,
          ),
        ),
      });
      const { value } = await askPress(conversation, runPickStrategy, t("run-press-button"));
      name = setup.strategies.find((s) => s.id === value.id)?.name ?? null;
      if (!name) return;
    }

    let portfolioId = args.portfolioId;
    if (portfolioId === null) {
      if (!setup.portfolios.length) {
        await ctx.reply(t("error-no-portfolio"));
        return;
      }
      if (setup.portfolios.length === 1) portfolioId = setup.portfolios[0]!.id;
      else {
        await ctx.reply(t("run-ask-portfolio", { name }), {
          reply_markup: keyboard(
            grid(
              setup.portfolios.map((p) =>
                button(`${p.isPaper ? "📝" : "💰"} ${p.name}`, runPickPortfolio.pack({ id: p.id })),
              ),
              2,
            ),
          ),
        });
        const { value } = await askPress(conversation, runPickPortfolio, t("run-press-button"));
        portfolioId = value.id;
      }
    }
    const portfolio = setup.portfolios.find((p) => p.id === portfolioId);
    if (!portfolio) {
      await ctx.reply(t("error-no-portfolio"));
      return;
    }

    let symbols = args.symbols;
    if (!symbols.length) {
      await ctx.reply(t("run-ask-symbols", { name, portfolio: portfolio.name }));
      symbols = (
        await askText<string[]>(conversation, async (text) =>
          conversation.external(async (c: BotContext) => {
            const out: string[] = [];
            try {
              for (const word of text.split(/[\s,]+/).filter(Boolean))
                out.push((await c.deps.services.instruments.resolve(word)).symbol);
            } catch (e) {
              return { error: `${explain(c, e)}\n${c.t("run-ask-symbols-again")}` };
            }
            return out.length ? { value: out } : { error: c.t("run-ask-symbols-again") };
          }),
        )
      ).value;
    }

    if (!portfolio.isPaper) {
      await ctx.reply(
        t("run-confirm-live", { name, portfolio: portfolio.name, symbols: symbols.join(", ") }),
        {
          reply_markup: keyboard([
            [
              button(`✅ ${t("run-confirm-yes")}`, runConfirm.pack({ answer: "yes" })),
              button(t("run-confirm-no"), runConfirm.pack({ answer: "no" })),
            ],
          ]),
        },
      );
      const { value } = await askPress(conversation, runConfirm, t("run-press-button"));
      if (value.answer !== "yes") {
        await ctx.reply(t("run-not-started"));
        return;
      }
    }

    const strategyName = name;
    const outcome = await conversation.external(async (c: BotContext) => {
      try {
        const v = await c.deps.services.strategyInstances.start(actorOf(c), {
          strategyName,
          portfolioId: portfolio.id,
          symbols,
          confirmLive: !portfolio.isPaper,
        });
        const { strategyName: n, strategyVersion, portfolioName, symbols: started } = v;
        return {
          ok: true as const,
          view: { strategyName: n, strategyVersion, portfolioName, symbols: started },
        };
      } catch (e) {
        return { ok: false as const, error: explain(c, e) };
      }
    });
    if (!outcome.ok) {
      await ctx.reply(outcome.error);
      return;
    }
    await replyFmt(ctx, startedText(t, outcome.view));
  });
}
