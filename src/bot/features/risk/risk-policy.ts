// The risk policy conversation: /newpolicy, Edit from /risk, and an admin's policy for another
// user (/userpolicy). Steps: where it applies (me / a portfolio / a strategy — skipped when
// editing or for an admin's USER policy), its name, then each rule in turn with buttons for
// common values (or a typed value; Skip, Keep, Remove, Done), the action for each rule set
// (warn / reduce where size can fix it / block) and, for the daily loss limit, whether the watch
// closes positions; then a summary to save or drop. Every value is checked by the same validation
// the domain applies, so what the user is told is exactly why the domain would refuse it.
// Database work runs inside conversation.external() with serializable results only.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { RiskScope } from "../../../domain/types.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { MAX_NAME_LENGTH, cleanName } from "../../../domain/names.ts";
import {
  type StoredPolicyConfig,
  parsePolicyConfig,
  toStoredConfig,
} from "../../../domain/risk/policy-config.ts";
import type { PolicyView, RiskPolicyService } from "../../../domain/risk/risk-policy-service.ts";
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
import { askChoice, askText, cancellable } from "../../conversations/ask.ts";
import { ACTION_UI, RULE_UI, configLines, formatRuleValue, scopeText } from "./risk-text.ts";

export const NEW_POLICY = "risk-policy";

export interface PolicyConversationStart {
  /** edit this policy (the user's own, or any when asAdmin) */
  policyId?: number;
  asAdmin?: boolean;
  /** admin: a new USER-scope policy for this user */
  targetUserId?: number;
}

interface Draft {
  id: number | null;
  scope: RiskScope;
  scopeId: number | null;
  scopeName: string | null;
  name: string;
  config: StoredPolicyConfig;
  /** for money limits: the currency they will mostly be read in */
  currency: string;
}

type Loaded = { draft: Draft; error: null } | { draft: null; error: string };

const explain = (c: BotContext | ConvContext, e: unknown): string => {
  if (!isDomainError(e)) throw e;
  return describeDomainError((k, p) => c.t(k, p), e);
};

function toDraft(p: PolicyView, currency: string): Draft {
  return {
    id: p.id,
    scope: p.scope,
    scopeId: p.scopeId,
    scopeName: p.scopeName,
    name: p.name,
    config: toStoredConfig(p.config),
    currency,
  };
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

/** A limit for `rule` from a preset button or typed text, re-asking with the domain's reason. */
async function askLimit(
  conversation: BotConversation,
  rule: RiskRule,
  again: string,
): Promise<"skip" | "rm" | "done" | { limit: string }> {
  for (;;) {
    const { value, ctx: c } = await askChoice(
      conversation,
      /^rp:(v:[0-9.]+|skip|rm|done)$/,
      again,
      // any typed text goes to the domain's check, which says why a value is refused
      (text) => `v:${text.trim()}`,
    );
    if (value === "skip" || value === "rm" || value === "done") return value;
    const checked = checkLimit(rule, value.slice(2), (k, p) => c.t(k, p));
    if ("value" in checked) return { limit: checked.value };
    await c.reply(checked.error);
  }
}

export function policyConversation(policies: RiskPolicyService) {
  return async function riskPolicy(
    conversation: BotConversation,
    ctx: ConvContext,
    start: PolicyConversationStart = {},
  ): Promise<void> {
    await cancellable(async () => {
      const t: Translate = (k, p) => ctx.t(k, p);
      const locale = await ctx.i18n.getLocale();

      // what is edited, or where a new one applies
      const loaded = await conversation.external(async (c: BotContext): Promise<Loaded> => {
        try {
          const active = await c.deps.services.portfolios
            .resolvePortfolio(actorOf(c))
            .catch(() => null);
          const currency = active?.baseCurrency ?? "";
          if (start.policyId) {
            const p = start.asAdmin
              ? await policies.adminGet(actorOf(c), start.policyId)
              : await policies.get(actorOf(c), start.policyId);
            return { draft: toDraft(p, currency), error: null };
          }
          const base = { id: null, scopeId: null, scopeName: null, name: "", config: {}, currency };
          if (start.targetUserId) {
            const user = await c.deps.services.users.getById(start.targetUserId);
            const target = await policies.adminTargetUser(actorOf(c), user.telegramUserId);
            return {
              draft: { ...base, scope: "USER", scopeId: target.id, scopeName: target.name },
              error: null,
            };
          }
          return { draft: { ...base, scope: "USER" }, error: null };
        } catch (e) {
          return { draft: null, error: explain(c, e) };
        }
      });
      if (!loaded.draft) {
        await ctx.reply(loaded.error);
        return;
      }
      const draft: Draft = loaded.draft;
      const admin = Boolean(start.asAdmin || start.targetUserId);

      if (draft.id === null && !admin) {
        const options = await conversation.external(async (c: BotContext) => {
          const [portfolios, strategies] = await Promise.all([
            c.deps.services.portfolios.listPortfolios(actorOf(c)),
            c.deps.services.strategies.list(actorOf(c)),
          ]);
          return [
            ...portfolios.map((p) => ({
              key: `P:${p.id}`,
              scope: "PORTFOLIO" as const,
              id: p.id,
              name: p.name,
              currency: p.baseCurrency,
            })),
            ...strategies.map((s) => ({
              key: `S:${s.id}`,
              scope: "STRATEGY" as const,
              id: s.id,
              name: s.name,
              currency: null,
            })),
          ];
        });
        await ctx.reply(t("risk-ask-scope"), {
          reply_markup: keyboard([
            [button(`👤 ${t("risk-scope-user")}`, "rp:sc:U:0")],
            ...grid(
              options.map((o) =>
                button(`${o.scope === "PORTFOLIO" ? "📁" : "🧠"} ${o.name}`, `rp:sc:${o.key}`),
              ),
              2,
            ),
          ]),
        });
        const { value } = await askChoice(
          conversation,
          /^rp:sc:([UPS]:\d+)$/,
          t("risk-press-button"),
        );
        const chosen = options.find((o) => o.key === value);
        if (chosen) {
          draft.scope = chosen.scope;
          draft.scopeId = chosen.id;
          draft.scopeName = chosen.name;
          if (chosen.currency) draft.currency = chosen.currency;
        }
      }

      // a money limit of a user- or strategy-wide policy is checked against each portfolio in that
      // portfolio's own currency: naming one currency here (the active portfolio's) showed the
      // same amount as USD while asking and as USDT in another portfolio's /risk
      if (draft.scope !== "PORTFOLIO") draft.currency = t("risk-currency-any");

      // name
      // within the name limit, or keeping it failed the whole conversation when the portfolio's
      // own name was long (found by the fuzzer)
      const suggested = fitName(
        draft.name || t("risk-default-name", { scope: scopeText(t, draft.scope, draft.scopeName) }),
      );
      await ctx.reply(t("risk-ask-name", { name: suggested }), {
        reply_markup: keyboard([
          [button(t("risk-use-name", { name: suggested.slice(0, 40) }), "rp:nm")],
        ]),
      });
      const { value: name } = await askText<string>(
        conversation,
        (text, c) => {
          try {
            return { value: cleanName("name", text) };
          } catch (e) {
            return { error: explain(c, e) };
          }
        },
        { skipData: "rp:nm", skipValue: cleanName("name", suggested) },
      );
      draft.name = name;

      // the rules, one at a time
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
            ui.presets.map((v) => button(show(v), `rp:v:${v}`)),
            [
              button(t(current ? "risk-keep" : "risk-skip"), "rp:skip"),
              ...(current ? [button(t("risk-remove"), "rp:rm")] : []),
              button(t("risk-done"), "rp:done"),
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

        const actions: RuleAction[] = spec.sizeDriven
          ? ["warn", "reduce", "block"]
          : ["warn", "block"];
        await ctx.reply(t("risk-ask-action", { rule: t(ui.labelKey), value: show(limit) }), {
          reply_markup: keyboard([
            actions.map((a) =>
              button(
                `${current?.action === a ? "• " : ""}${t(ACTION_UI[a].labelKey)}`,
                `rp:a:${a}`,
              ),
            ),
          ]),
        });
        const { value: action } = await askChoice(
          conversation,
          /^rp:a:(warn|reduce|block)$/,
          t("risk-press-button"),
        );
        let close = false;
        if (spec.closable) {
          await ctx.reply(t("risk-ask-close"), {
            reply_markup: keyboard([
              [button(t("risk-close-yes"), "rp:cl:1"), button(t("risk-close-no"), "rp:cl:0")],
            ]),
          });
          close =
            (await askChoice(conversation, /^rp:cl:([01])$/, t("risk-press-button"))).value === "1";
        }
        draft.config[rule] = {
          limit,
          action: action as RuleAction,
          ...(close ? { closePositions: true as const } : {}),
        };
      }

      if (Object.keys(draft.config).length === 0) {
        await ctx.reply(t("risk-nothing-set"));
        return;
      }

      // summary, then save
      const summary = FormattedString.join(
        [
          fmt`${FormattedString.b(draft.name)} — ${scopeText(t, draft.scope, draft.scopeName)}`,
          ...configLines(t, draft.config, locale, draft.currency),
        ],
        "\n",
      );
      await replyFmt(
        ctx,
        fmt`${t("risk-confirm")}\n\n${summary}`,
        keyboard([
          [button(`✅ ${t("risk-save")}`, "rp:save"), button(`✖️ ${t("risk-drop")}`, "rp:drop")],
        ]),
      );
      const { value: decision, ctx: last } = await askChoice(
        conversation,
        /^rp:(save|drop)$/,
        t("risk-press-button"),
      );
      if (decision === "drop") {
        await last.reply(last.t("conversation-canceled"));
        return;
      }
      const final = { ...draft, config: { ...draft.config } };
      const saved = await conversation.external(async (c: BotContext) => {
        try {
          const actor = actorOf(c);
          const input = { name: final.name, config: final.config };
          const p =
            final.id !== null
              ? admin
                ? await policies.adminUpdate(actor, final.id, input)
                : await policies.update(actor, final.id, input)
              : admin
                ? await policies.adminCreateForUser(actor, final.scopeId!, input)
                : await policies.create(actor, {
                    scope: final.scope,
                    scopeId: final.scope === "USER" ? null : final.scopeId,
                    ...input,
                  });
          return { id: p.id, error: null };
        } catch (e) {
          return { id: null, error: explain(c, e) };
        }
      });
      if (saved.error !== null || saved.id === null) {
        await last.reply(saved.error ?? last.t("error-unexpected", { ref: "-" }));
        return;
      }
      await replyFmt(
        last,
        fmt`${last.t(final.id !== null ? "risk-updated" : "risk-created", { id: saved.id })}\n\n${summary}\n\n${last.t("risk-see-risk")}`,
      );
    });
  };
}

/** A suggested name cut to MAX_NAME_LENGTH characters ("…" marks the cut), as cleanName accepts. */
export function fitName(name: string): string {
  const chars = [...name.replace(/\s+/g, " ").trim()];
  if (chars.length <= MAX_NAME_LENGTH) return chars.join("");
  return `${chars
    .slice(0, MAX_NAME_LENGTH - 1)
    .join("")
    .trimEnd()}…`;
}
