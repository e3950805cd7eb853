// Risk from Telegram: /risk [portfolio] (the policies bearing on a portfolio with their current
// usage and the latest breaches, with edit, pause/resume and delete buttons), /newpolicy (the
// policy conversation), /policy delete|pause|resume ID, and for admins /userpolicy <telegram id
// or @username> (a user's policies, and a USER-scope policy set for them). Also what the order
// card shows about a pre-trade decision (describeRiskOutcome) and the breach notifications
// (BotRiskNotifier: the wording, in the recipient's language; the domain queues it).
//
// The risk services are handed in (RiskBotDeps) rather than read from ctx.deps.services, so this
// feature depends on exactly what it uses.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import type { RiskAction } from "../../../domain/types.ts";
import { isDomainError } from "../../../domain/errors.ts";
import { toStoredConfig } from "../../../domain/risk/policy-config.ts";
import type { RiskMessage, RiskNotice, RiskNotifier } from "../../../domain/risk/risk-notifier.ts";
import type { PolicyView, RiskPolicyService } from "../../../domain/risk/risk-policy-service.ts";
import type { BreachView, RiskDecision, RiskService } from "../../../domain/risk/risk-service.ts";
import { isRiskRule } from "../../../domain/risk/rules.ts";
import { dec } from "../../../lib/decimal.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { NEW_POLICY, type PolicyConversationStart } from "./risk-policy.ts";
import {
  ACTION_UI,
  breachLine,
  configLines,
  formatRuleValue,
  ruleLabel,
  scopeText,
} from "./risk-text.ts";
import { describeDomainError } from "../../errors.ts";
import { toHtml } from "../../format/html.ts";
import { formatMoney, formatNumber, formatPercent } from "../../format/numbers.ts";
import { editFmt, replyFmt } from "../../format/reply.ts";
import type { Translate } from "../../i18n.ts";
import { button, keyboard, parseId } from "../../keyboards.ts";
import { oneOf } from "../../callback-data.ts";
import {
  deletePolicy,
  deletePolicyAsk,
  editPolicy,
  keepPolicy,
  newPolicy,
  pausePolicy,
  resumePolicy,
} from "./callback-data.ts";
import { inScope, refuse } from "../../middlewares/access.ts";
import type { Notifier } from "../../notifier.ts";

export interface RiskBotDeps {
  risk: RiskService;
  policies: RiskPolicyService;
}

// ───────────── the order card ─────────────

const OUTCOME_KEYS = {
  ALLOW: "risk-outcome-allow",
  WARN: "risk-outcome-warn",
  REDUCE: "risk-outcome-reduce",
  BLOCK: "risk-outcome-block",
} as const;

/**
 * The risk block of the order confirmation card: the verdict, each breached rule (observed vs
 * limit), the reduced size, and what could not be checked (another currency, excluded positions).
 * Empty when no policy applies.
 */
export function describeRiskOutcome(
  t: Translate,
  outcome: RiskDecision,
  locale: string,
): FormattedString {
  if (outcome.checks.length === 0) return fmt``;
  const currency = outcome.equity?.currency ?? "";
  const lines: FormattedString[] = [
    fmt`${FormattedString.b(
      t(OUTCOME_KEYS[outcome.outcome], {
        quantity: formatNumber(outcome.maxQuantity ?? outcome.requestedQuantity, locale),
        requested: formatNumber(outcome.requestedQuantity, locale),
        symbol: outcome.symbol,
      }),
    )}`,
  ];
  for (const check of outcome.checks) {
    if (check.status !== "BREACH") continue;
    const line = breachLine(t, check, locale, currency);
    lines.push(
      check.reason === "reduce-too-small"
        ? fmt`${line} — ${t("risk-reduce-too-small")}`
        : fmt`${line} · ${t(ACTION_UI[check.action].labelKey)}`,
    );
  }
  const mismatch = outcome.checks.find((c) => c.reason === "currency-mismatch");
  if (mismatch)
    lines.push(
      fmt`${FormattedString.i(
        t("risk-note-currency", {
          symbol: outcome.symbol,
          orderCurrency: mismatch.numbers.orderCurrency ?? "",
          portfolioCurrency: mismatch.numbers.portfolioCurrency ?? "",
        }),
      )}`,
    );
  const excluded = outcome.equity?.excluded ?? [];
  if (excluded.length)
    lines.push(
      fmt`${FormattedString.i(
        t("risk-note-excluded", {
          positions: excluded.map((e) => `${e.symbol} (${e.currency})`).join(", "),
          currency,
        }),
      )}`,
    );
  return FormattedString.join(lines, "\n");
}

// ───────────── notifications ─────────────

const TITLE_KEYS: Record<RiskAction, string> = {
  BLOCKED: "risk-notice-blocked",
  REDUCED_SIZE: "risk-notice-reduced",
  WARNED: "risk-notice-warned",
  CLOSED_POSITION: "risk-notice-closed",
};

export function renderRiskNotice(
  t: Translate,
  locale: string,
  notice: RiskNotice,
): { title: string; body: FormattedString } {
  const currency = notice.portfolio.currency;
  const title =
    notice.source === "watch" && notice.action === "WARNED"
      ? t("risk-notice-watch")
      : t(TITLE_KEYS[notice.action]);
  const lines: FormattedString[] = [
    fmt`${t("risk-notice-portfolio", { name: notice.portfolio.name })}`,
  ];
  if (notice.order) {
    const side = t(`order-side-${notice.order.side.toLowerCase()}`);
    lines.push(
      fmt`${t("risk-notice-order", {
        side,
        quantity: formatNumber(notice.order.quantity, locale),
        symbol: notice.order.symbol,
      })}`,
    );
    if (notice.order.maxQuantity)
      lines.push(
        fmt`${t("risk-notice-reduced-to", {
          quantity: formatNumber(notice.order.maxQuantity, locale),
          symbol: notice.order.symbol,
        })}`,
      );
  }
  for (const check of notice.breaches) lines.push(breachLine(t, check, locale, currency));
  for (const c of notice.closed) {
    const what = `${t(`order-side-${c.side.toLowerCase()}`)} ${formatNumber(c.quantity, locale)} ${c.symbol}`;
    lines.push(
      c.orderId !== null
        ? fmt`✅ ${t("risk-closed-ok", { order: what, id: c.orderId })}`
        : fmt`❌ ${t("risk-closed-failed", { order: what, reason: closeError(t, c) })}`,
    );
  }
  lines.push(fmt`${FormattedString.i(t("risk-notice-see"))}`);
  return { title, body: FormattedString.join(lines, "\n") };
}

/** Why a position could not be closed, as the domain error it got would read. */
function closeError(t: Translate, c: RiskNotice["closed"][number]): string {
  const params: Record<string, string | number> = { ref: "-", ...c.errorParams };
  if (typeof params.field === "string") params.fieldName = t(`field-${params.field}`);
  return t(c.errorKey ?? "error-unexpected", params);
}

/**
 * The domain's RiskNotifier: words a risk event in its recipient's language (chosen in /settings,
 * else Telegram's), as HTML for the outbox. Pure; the domain queues it in the breach's transaction.
 */
export class BotRiskNotifier implements RiskNotifier {
  constructor(private readonly notifier: Notifier) {}

  render(notice: RiskNotice): RiskMessage {
    const locale = this.notifier.localeOf(notice.recipient);
    const { title, body } = renderRiskNotice(
      this.notifier.translator(notice.recipient),
      locale,
      notice,
    );
    return { title, message: toHtml(body), format: "html" };
  }
}

// ───────────── /risk ─────────────

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

async function renderOverview(ctx: ActorContext, deps: RiskBotDeps, portfolioId?: number) {
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

async function renderUserPolicies(ctx: ActorContext, deps: RiskBotDeps, userId: number) {
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

// ───────────── commands ─────────────

async function riskCommand(ctx: ActorContext, deps: RiskBotDeps): Promise<void> {
  const name = typeof ctx.match === "string" ? ctx.match.trim() : "";
  const portfolio = name
    ? await ctx.deps.services.portfolios.resolvePortfolio(ctx.actor, name)
    : undefined;
  const { text, markup } = await renderOverview(ctx, deps, portfolio?.id);
  await replyFmt(ctx, text, markup);
}

const POLICY_VERBS = { delete: "dl", pause: "pa", resume: "re" } as const;

async function policyCommand(ctx: ActorContext, deps: RiskBotDeps): Promise<void> {
  const [verb = "", rawId = ""] = (typeof ctx.match === "string" ? ctx.match : "")
    .trim()
    .toLowerCase()
    .split(/\s+/);
  const id = parseId(rawId.replace(/^#/, ""));
  if (!(verb in POLICY_VERBS) || !id) {
    await ctx.reply(ctx.t("risk-policy-usage"));
    return;
  }
  const policy = await deps.policies.get(ctx.actor, id);
  if (verb === "delete") {
    await deps.policies.delete(ctx.actor, id);
    await ctx.reply(ctx.t("risk-deleted", { name: policy.name, id }));
    return;
  }
  await deps.policies.setActive(ctx.actor, id, verb === "resume");
  await ctx.reply(
    ctx.t(verb === "resume" ? "risk-resumed" : "risk-paused-done", { name: policy.name, id }),
  );
}

async function userPolicyCommand(ctx: ActorContext, deps: RiskBotDeps): Promise<void> {
  const ref = typeof ctx.match === "string" ? ctx.match.trim() : "";
  if (!ref) {
    await ctx.reply(ctx.t("risk-userpolicy-usage"));
    return;
  }
  const target = await deps.policies.adminTargetUser(ctx.actor, ref);
  const { text, markup } = await renderUserPolicies(ctx, deps, target.id);
  await replyFmt(ctx, text, markup);
}

export function registerRisk(registry: CommandRegistry, deps: RiskBotDeps): void {
  registry.add({
    name: "risk",
    scope: "user",
    group: "risk",
    descriptionKey: "cmd-risk",
    exampleKey: "cmd-risk-example",
    handler: (ctx) => riskCommand(ctx, deps),
  });
  registry.add({
    name: "newpolicy",
    scope: "user",
    group: "risk",
    descriptionKey: "cmd-newpolicy",
    exampleKey: "cmd-newpolicy-example",
    handler: (ctx) => ctx.conversation.enter(NEW_POLICY, {} satisfies PolicyConversationStart),
  });
  registry.add({
    name: "policy",
    scope: "user",
    group: "risk",
    descriptionKey: "cmd-policy",
    exampleKey: "cmd-policy-example",
    handler: (ctx) => policyCommand(ctx, deps),
  });
  registry.add({
    name: "userpolicy",
    scope: "admin",
    group: "admin",
    descriptionKey: "cmd-userpolicy",
    exampleKey: "cmd-userpolicy-example",
    handler: (ctx) => userPolicyCommand(ctx, deps),
  });
}

// ───────────── buttons ─────────────

async function alert(ctx: BotContext, e: unknown): Promise<void> {
  if (!isDomainError(e)) throw e;
  await ctx.answerCallbackQuery({
    text: describeDomainError((k, p) => ctx.t(k, p), e).slice(0, 200),
    show_alert: true,
  });
}

/**
 * rsk:<op>:<who>:<id>:<back> — op: ed (edit), pa (pause), re (resume), dl (delete?), dy (delete!),
 * new; who: u (one's own, back = the portfolio shown) or a (admin, back = the user's id).
 */
export function riskFeature(deps: RiskBotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(/^rsk:/, async (ctx) => {
    const data = ctx.callbackQuery.data;
    const created = newPolicy.unpack(data);
    const press = oneOf(
      editPolicy,
      pausePolicy,
      resumePolicy,
      deletePolicyAsk,
      deletePolicy,
      keepPolicy,
    ).unpack(data);
    // whose policies the button is about decides who may press it
    const admin = (created ?? press)?.who === "a";
    if (!inScope(ctx, admin ? "admin" : "user")) return refuse(ctx, admin ? "admin" : "user");
    const actor = ctx.actor;
    if (created) {
      await ctx.answerCallbackQuery();
      const start: PolicyConversationStart = admin ? { targetUserId: created.target } : {};
      await ctx.conversation.enter(NEW_POLICY, start);
      return;
    }
    if (!press) {
      await ctx.answerCallbackQuery({ text: ctx.t("button-stale") });
      return;
    }
    const { who, id, back } = press;
    const redraw = async () => {
      const view = admin
        ? await renderUserPolicies(ctx, deps, back)
        : await renderOverview(ctx, deps, back);
      await editFmt(ctx, view.text, view.markup);
    };
    const op = (
      [editPolicy, pausePolicy, resumePolicy, deletePolicyAsk, deletePolicy] as const
    ).find((codec) => codec.filter.test(data));
    try {
      switch (op) {
        case editPolicy: {
          // checks access now; the conversation loads it again
          if (admin) await deps.policies.adminList(actor, back);
          else await deps.policies.get(actor, id);
          await ctx.answerCallbackQuery();
          const start: PolicyConversationStart = {
            policyId: id,
            ...(admin ? { asAdmin: true } : {}),
          };
          await ctx.conversation.enter(NEW_POLICY, start);
          return;
        }
        case pausePolicy:
        case resumePolicy: {
          const on = op === resumePolicy;
          if (admin) await deps.policies.adminSetActive(actor, id, on);
          else await deps.policies.setActive(actor, id, on);
          await ctx.answerCallbackQuery({
            text: ctx.t(on ? "risk-resumed-short" : "risk-paused-short"),
          });
          await redraw();
          return;
        }
        case deletePolicyAsk: {
          const policy = admin ? null : await deps.policies.get(actor, id);
          await ctx.answerCallbackQuery();
          await editFmt(
            ctx,
            fmt`${ctx.t("risk-delete-confirm", { name: policy?.name ?? `#${id}`, id })}`,
            keyboard([
              [
                button(`🗑 ${ctx.t("risk-delete-yes")}`, deletePolicy.pack({ who, id, back })),
                button(`« ${ctx.t("risk-delete-no")}`, keepPolicy.pack({ who, id, back })),
              ],
            ]),
          );
          return;
        }
        case deletePolicy:
          if (admin) await deps.policies.adminDelete(actor, id);
          else await deps.policies.delete(actor, id);
          await ctx.answerCallbackQuery({ text: ctx.t("risk-deleted-short") });
          await redraw();
          return;
        default:
          // keep: the list as it was
          await ctx.answerCallbackQuery();
          await redraw();
      }
    } catch (e) {
      await alert(ctx, e);
    }
  });
  return composer;
}
