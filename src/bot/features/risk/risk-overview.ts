// What /risk and /userpolicy show: a portfolio's equity and the policies bearing on it with their
// current usage and the latest breaches, or the policies an admin set for a user; each policy with
// its edit, pause/resume and delete buttons.
//
// The risk services are handed in (RiskBotDeps) rather than read from ctx.deps.services, so this
// feature depends on exactly what it uses.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import type { RiskAction } from "../../../domain/types.ts";
import { toStoredConfig } from "../../../domain/risk/policy-config.ts";
import type { PolicyView, RiskPolicyService } from "../../../domain/risk/risk-policy-service.ts";
import type { BreachView, RiskService } from "../../../domain/risk/risk-service.ts";
import { isRiskRule } from "../../../domain/risk/rules.ts";
import { dec } from "../../../lib/decimal.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { ActorContext } from "../../context.ts";
import { formatMoney, formatNumber, formatPercent } from "../../format/numbers.ts";
import type { Translate } from "../../i18n.ts";
import { button, keyboard } from "../../keyboards.ts";
import {
  deletePolicyAsk,
  editPolicy,
  newPolicy,
  pausePolicy,
  resumePolicy,
} from "./callback-data.ts";
import { ACTION_UI, configLines, formatRuleValue, ruleLabel, scopeText } from "./risk-text.ts";

export interface RiskBotDeps {
  risk: RiskService;
  policies: RiskPolicyService;
}

const SCOPE_ICON = { USER: "👤", PORTFOLIO: "📁", STRATEGY: "🧠" } as const;

/** What a logged breach did, as a word. */
const BREACH_ACTION_UI: Record<RiskAction, { labelKey: string }> = {
  BLOCKED: { labelKey: "risk-breach-blocked" },
  WARNED: { labelKey: "risk-breach-warned" },
  REDUCED_SIZE: { labelKey: "risk-breach-reduced" },
  CLOSED_POSITION: { labelKey: "risk-breach-closed" },
};

function usageText(
  t: Translate,
  view: {
    rule: string;
    usage: { observed: { toFixed(): string }; usedPct: { toFixed(): string } } | null;
  },
  limit: string,
  locale: string,
  currency: string,
): string {
  if (!isRiskRule(view.rule)) return "";
  const limitText = formatRuleValue(view.rule, limit, locale, currency);
  if (!view.usage) return t("risk-usage-limit-only", { limit: limitText });
  return t("risk-usage", {
    observed: formatRuleValue(view.rule, view.usage.observed.toFixed(), locale, currency),
    limit: limitText,
    used: formatNumber(view.usage.usedPct.toFixed(), locale, { maxDecimals: 0 }),
  });
}

function policyBlock(
  t: Translate,
  policy: PolicyView,
  rules: Array<{ rule: string; usage: Parameters<typeof usageText>[1]["usage"] }> | null,
  locale: string,
  currency: string,
): FormattedString {
  const status = policy.isActive ? "" : ` · ⏸ ${t("risk-paused")}`;
  const managed = policy.managedBy !== null ? ` · 🔒 ${t("risk-managed")}` : "";
  const head = fmt`${SCOPE_ICON[policy.scope]} ${FormattedString.b(policy.name)} #${policy.id} — ${scopeText(t, policy.scope, policy.scopeName)}${status}${managed}`;
  const stored = toStoredConfig(policy.config);
  if (!rules)
    return FormattedString.join([head, ...configLines(t, stored, locale, currency)], "\n");
  const lines = rules.flatMap((r) => {
    const cfg = isRiskRule(r.rule) ? stored[r.rule] : undefined;
    if (!cfg || !isRiskRule(r.rule)) return [];
    const close = cfg.closePositions ? ` · ${t("risk-closes-positions")}` : "";
    return [
      fmt`• ${ruleLabel(t, r.rule)}: ${usageText(t, r, cfg.limit, locale, currency)} · ${t(ACTION_UI[cfg.action].labelKey)}${close}`,
    ];
  });
  return FormattedString.join([head, ...lines], "\n");
}

export function breachListLine(
  t: Translate,
  b: BreachView,
  locale: string,
  zone: string,
  currency: string,
): FormattedString {
  const o = b.observed as Record<string, string | null>;
  const rule = isRiskRule(b.rule) ? b.rule : null;
  const measured = rule
    ? t("risk-observed-vs-limit", {
        observed: formatRuleValue(rule, o.observed ?? null, locale, currency),
        limit: formatRuleValue(rule, o.limit ?? null, locale, currency),
      })
    : "";
  const what = o.symbol ? ` · ${o.symbol}` : "";
  return fmt`${FormattedString.i(formatLocal(b.createdAt, zone))} · ${ruleLabel(t, b.rule)}${what}: ${measured} · ${t(BREACH_ACTION_UI[b.action].labelKey)} · ${b.policyName}`;
}

export async function renderOverview(ctx: ActorContext, deps: RiskBotDeps, portfolioId?: number) {
  const overview = await deps.risk.overview(ctx.actor, portfolioId ?? null);
  const locale = await ctx.i18n.getLocale();
  const t: Translate = (k, p) => ctx.t(k, p);
  const zone = ctx.user?.timeZone ?? "UTC";
  const e = overview.equity;
  const c = e.currency;
  const dayPct = dec(e.dayStartEquity).gt(0)
    ? formatPercent(dec(e.dayPnl).div(e.dayStartEquity).mul(100), locale)
    : "—";
  const parts: FormattedString[] = [
    fmt`${FormattedString.b(t("risk-title", { portfolio: overview.portfolio.name, currency: c }))}`,
    fmt`${t("risk-equity-line", {
      equity: formatMoney(e.equity, c, locale),
      cash: formatMoney(e.cash, c, locale),
      pnl: formatMoney(e.dayPnl, c, locale, true),
      pct: dayPct,
    })}`,
  ];
  if (e.excluded.length)
    parts.push(
      fmt`${FormattedString.i(
        t("risk-note-excluded", {
          positions: e.excluded.map((x) => `${x.symbol} (${x.currency})`).join(", "),
          currency: c,
        }),
      )}`,
    );
  parts.push(fmt``);
  if (!overview.policies.length) parts.push(fmt`${t("risk-no-policies")}`);
  const rows = [];
  for (const { policy, rules } of overview.policies) {
    parts.push(policyBlock(t, policy, rules, locale, c), fmt``);
    if (policy.managedBy === null) rows.push(policyButtons(t, policy, "u", overview.portfolio.id));
  }
  if (overview.breaches.length) {
    parts.push(fmt`${FormattedString.b(t("risk-latest-breaches"))}`);
    for (const b of overview.breaches) parts.push(breachListLine(t, b, locale, zone, c));
  }
  rows.push([
    button(
      `➕ ${t("risk-new-policy")}`,
      newPolicy.pack({ who: "u", target: overview.portfolio.id }),
    ),
  ]);
  return { text: FormattedString.join(parts, "\n"), markup: keyboard(rows) };
}

/** Edit, pause or resume, delete — for one's own policies ("u") or, by an admin, anyone's ("a"). */
function policyButtons(t: Translate, policy: PolicyView, who: "u" | "a", back: number) {
  const id = policy.id;
  return [
    button(`✏️ #${id}`, editPolicy.pack({ who, id, back })),
    policy.isActive
      ? button(`⏸ #${id}`, pausePolicy.pack({ who, id, back }))
      : button(`▶️ #${id}`, resumePolicy.pack({ who, id, back })),
    button(`🗑 #${id}`, deletePolicyAsk.pack({ who, id, back })),
  ];
}

export async function renderUserPolicies(ctx: ActorContext, deps: RiskBotDeps, userId: number) {
  const t: Translate = (k, p) => ctx.t(k, p);
  const locale = await ctx.i18n.getLocale();
  const user = await ctx.deps.services.users.getById(userId);
  const target = await deps.policies.adminTargetUser(ctx.actor, user.telegramUserId);
  const list = await deps.policies.adminList(ctx.actor, userId);
  const parts: FormattedString[] = [
    fmt`${FormattedString.b(t("risk-user-title", { name: target.name }))}`,
    fmt``,
  ];
  if (!list.length) parts.push(fmt`${t("risk-no-policies-user")}`);
  for (const p of list) parts.push(policyBlock(t, p, null, locale, ""), fmt``);
  const rows = list.map((p) => policyButtons(t, p, "a", userId));
  rows.push([
    button(`➕ ${t("risk-new-user-policy")}`, newPolicy.pack({ who: "a", target: userId })),
  ]);
  return { text: FormattedString.join(parts, "\n"), markup: keyboard(rows) };
}
