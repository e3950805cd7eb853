// The risk policy conversation: /newpolicy, Edit from /risk, and an admin's policy for another
// user (/userpolicy). Steps: where it applies (me / a portfolio / a strategy — skipped when
// editing or for an admin's USER policy), its name, then each rule in turn with buttons for
// common values (or a typed value; Skip, Keep, Remove, Done), the action for each rule set
// (warn / reduce where size can fix it / block) and, for the daily loss limit, whether the watch
// closes positions (those two steps: risk-policy-steps.ts); then a summary to save or drop. Every
// value is checked by the same validation the domain applies, so what the user is told is exactly
// why the domain would refuse it. Database work runs inside conversation.external() with
// serializable results only.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { isDomainError } from "../../../domain/errors.ts";
import { MAX_NAME_LENGTH, cleanName } from "../../../domain/names.ts";
import { toStoredConfig } from "../../../domain/risk/policy-config.ts";
import type { PolicyView, RiskPolicyService } from "../../../domain/risk/risk-policy-service.ts";
import { type BotContext, type BotConversation, type ConvContext, actorOf } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { replyFmt } from "../../format/reply.ts";
import type { Translate } from "../../i18n.ts";
import { button, keyboard } from "../../keyboards.ts";
import { askPress, askText, cancellable } from "../../conversations/ask.ts";
import { dropPolicy, policyDecision, savePolicy, useSuggestedName } from "./callback-data.ts";
import { type Draft, askRules, askScope } from "./risk-policy-steps.ts";
import { configLines, scopeText } from "./risk-text.ts";

export const NEW_POLICY = "risk-policy";

export interface PolicyConversationStart {
  /** edit this policy (the user's own, or any when asAdmin) */
  policyId?: number;
  asAdmin?: boolean;
  /** admin: a new USER-scope policy for this user */
  targetUserId?: number;
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

      if (draft.id === null && !admin) await askScope(conversation, ctx, draft);

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
          [button(t("risk-use-name", { name: suggested.slice(0, 40) }), useSuggestedName.pack({}))],
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
        { skipData: useSuggestedName.pack({}), skipValue: cleanName("name", suggested) },
      );
      draft.name = name;
      await askRules(conversation, ctx, draft, locale);

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
          [
            button(`✅ ${t("risk-save")}`, savePolicy.pack({})),
            button(`✖️ ${t("risk-drop")}`, dropPolicy.pack({})),
          ],
        ]),
      );
      const { value: decision, ctx: last } = await askPress(
        conversation,
        policyDecision,
        t("risk-press-button"),
      );
      if (decision.step === "drop") {
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
