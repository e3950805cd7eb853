// Two steps of the risk policy conversation (risk-policy.ts): where a new policy applies (the
// user, a portfolio or a strategy), and the rules one at a time — a value from the buttons or
// typed (checked by the domain's own validation, so a refusal names the domain's reason), the
// action for it and, for a rule that can, whether the watch closes positions. They fill in the
// draft the conversation saves.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { RiskScope } from "../../../domain/types.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { type StoredPolicyConfig, parsePolicyConfig } from "../../../domain/risk/policy-config.ts";
import {
  RISK_RULES,
  RULE_SPECS,
  type RiskRule,
  type RuleAction,
} from "../../../domain/risk/rules.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { replyFmt } from "../../format/reply.ts";
import type { Translate } from "../../i18n.ts";
import { button, grid, keyboard } from "../../keyboards.ts";
import { askPress } from "../../conversations/ask.ts";
import {
  pickClosePositions,
  pickPolicyScope,
  pickRuleAction,
  presetLimit,
  removeRule,
  ruleAnswer,
  rulesDone,
  skipRule,
} from "./callback-data.ts";
import { ACTION_UI, RULE_UI, formatRuleValue } from "./risk-text.ts";

/** The policy being made or edited, as the conversation's steps fill it in. */
export interface Draft {
  id: number | null;
  scope: RiskScope;
  scopeId: number | null;
  scopeName: string | null;
  name: string;
  config: StoredPolicyConfig;
  /** for money limits: the currency they will mostly be read in */
  currency: string;
}

/** Where a new policy applies: the user (the draft's default), one of their portfolios or strategies. */
export async function askScope(
  conversation: BotConversation,
  ctx: ConvContext,
  draft: Draft,
): Promise<void> {
  const t: Translate = (k, p) => ctx.t(k, p);
  const options = await conversation.external(async (c: BotContext) => {
    const [portfolios, strategies] = await Promise.all([
      c.deps.services.portfolios.listPortfolios(actorOf(c)),
      c.deps.services.strategies.list(actorOf(c)),
    ]);
    return [
      ...portfolios.map((p) => ({
        code: "P" as const,
        scope: "PORTFOLIO" as const,
        id: p.id,
        name: p.name,
        currency: p.baseCurrency,
      })),
      ...strategies.map((s) => ({
        code: "S" as const,
        scope: "STRATEGY" as const,
        id: s.id,
        name: s.name,
        currency: null,
      })),
    ];
  });
  await ctx.reply(t("risk-ask-scope"), {
    reply_markup: keyboard([
      [button(`👤 ${t("risk-scope-user")}`, pickPolicyScope.pack({ scope: "U", id: 0 }))],
      ...grid(
        options.map((o) =>
          button(
            `${o.scope === "PORTFOLIO" ? "📁" : "🧠"} ${o.name}`,
            pickPolicyScope.pack({ scope: o.code, id: o.id }),
          ),
        ),
        2,
      ),
    ]),
  });
  const { value } = await askPress(conversation, pickPolicyScope, t("risk-press-button"));
  const chosen = options.find((o) => o.code === value.scope && o.id === value.id);
  if (chosen) {
    draft.scope = chosen.scope;
    draft.scopeId = chosen.id;
    draft.scopeName = chosen.name;
    if (chosen.currency) draft.currency = chosen.currency;
  }
}

/** Each rule in turn, until the last one or "Done": set, kept, skipped or removed in the draft. */
export async function askRules(
  conversation: BotConversation,
  ctx: ConvContext,
  draft: Draft,
  locale: string,
): Promise<void> {
  const t: Translate = (k, p) => ctx.t(k, p);
  for (const rule of RISK_RULES) {
    // one cash floor per policy: a percent or an amount
    if (rule === "minCashAbs" && draft.config.minCashPct) continue;
    if (rule === "minCashPct" && draft.config.minCashAbs) continue;
    const ui = RULE_UI[rule];
    const spec = RULE_SPECS[rule];
    const current = draft.config[rule];
    const show = (v: string) => formatRuleValue(rule, v, locale, draft.currency);
    const header = fmt`${FormattedString.b(t(ui.labelKey))}\n${t(ui.descriptionKey)}${current ? `\n${t("risk-current", { value: show(current.limit) })}` : ""}`;
    await replyFmt(
      ctx,
      header,
      keyboard([
        ui.presets.map((v) => button(show(v), presetLimit.pack({ limit: v }))),
        [
          button(t(current ? "risk-keep" : "risk-skip"), skipRule.pack({})),
          ...(current ? [button(t("risk-remove"), removeRule.pack({}))] : []),
          button(t("risk-done"), rulesDone.pack({})),
        ],
      ]),
    );
    const answer = await askLimit(conversation, rule, t("risk-value-again"));
    if (answer === "skip") continue;
    if (answer === "done") break;
    if (answer === "rm") {
      delete draft.config[rule];
      continue;
    }
    const limit = answer.limit;

    const actions: RuleAction[] = spec.sizeDriven ? ["warn", "reduce", "block"] : ["warn", "block"];
    await ctx.reply(t("risk-ask-action", { rule: t(ui.labelKey), value: show(limit) }), {
      reply_markup: keyboard([
        actions.map((a) =>
          button(
            `${current?.action === a ? "• " : ""}${t(ACTION_UI[a].labelKey)}`,
            pickRuleAction.pack({ action: a }),
          ),
        ),
      ]),
    });
    const { value: chosen } = await askPress(conversation, pickRuleAction, t("risk-press-button"));
    let close = false;
    if (spec.closable) {
      await ctx.reply(t("risk-ask-close"), {
        reply_markup: keyboard([
          [
            button(t("risk-close-yes"), pickClosePositions.pack({ close: "1" })),
            button(t("risk-close-no"), pickClosePositions.pack({ close: "0" })),
          ],
        ]),
      });
      const { value } = await askPress(conversation, pickClosePositions, t("risk-press-button"));
      close = value.close === "1";
    }
    draft.config[rule] = {
      limit,
      action: chosen.action,
      ...(close ? { closePositions: true as const } : {}),
    };
  }
}

/** A limit for `rule` from a preset button or typed text, re-asking with the domain's reason. */
async function askLimit(
  conversation: BotConversation,
  rule: RiskRule,
  again: string,
): Promise<"skip" | "rm" | "done" | { limit: string }> {
  for (;;) {
    const { value, ctx: c } = await askPress(
      conversation,
      ruleAnswer,
      again,
      // any typed text goes to the domain's check, which says why a value is refused
      (text) => ({ value: { limit: text.trim() } }),
    );
    if ("step" in value) return value.step;
    const checked = checkLimit(rule, value.limit, (k, p) => c.t(k, p));
    if ("value" in checked) return { limit: checked.value };
    await c.reply(checked.error);
  }
}

/** The limit as the domain will read it, or the reason it would refuse it. */
function checkLimit(
  rule: RiskRule,
  text: string,
  t: Translate,
): { value: string } | { error: string } {
  try {
    const parsed = parsePolicyConfig({ [rule]: { limit: text, action: "warn" } });
    return { value: parsed[rule]!.limit.toFixed() };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { error: describeDomainError(t, e) };
  }
}
