// /strategies and /strategy. A strategy is a name plus JSON parameters; saving under a name that
// exists makes a new version, and the domain never rewrites the old row, so the orders, fills and
// positions placed with an old version keep pointing at it. /strategies lists the current
// versions (or every version with "all"), /strategy NAME {json} saves, /strategy NAME shows the
// history. Validation (name, parameters must be an object, size) is the domain's; only reading
// the JSON text is done here.
import { fmt, FormattedString } from "@grammyjs/parse-mode";
import { isDomainError } from "../../../domain/errors.ts";
import type { StrategyUsage, StrategyView } from "../../../domain/strategies/strategy-service.ts";
import { formatLocal } from "../../../lib/time.ts";
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext, BotContext } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { MAX_NAME_LENGTH } from "../../../domain/names.ts";
import { replyFmt } from "../../format/reply.ts";
import { newStrategyCommand } from "./strategy-new-command.ts";

const EXAMPLE_NAME = "MeanRev";
const EXAMPLE_PARAMS = '{"window": 20, "z": 2}';
/** strategies per /strategies message: keeps it well under Telegram's 4096 characters */
const LIST_LIMIT = 25;
/** versions with their parameters in /strategy NAME, newest first */
const SHOWN_VERSIONS = 5;
const SUMMARY_CHARS = 60;
const PRETTY_CHARS = 1500;

export interface StrategyArgs {
  name: string;
  /** the JSON text, or null when only a name was given */
  params: string | null;
}

/**
 * "NAME {json}" or "NAME". The parameters start at the first "{" or "[" ("[" too, so that an
 * array is refused as "not an object" rather than read as part of the name).
 */
export function parseStrategyArgs(text: string): StrategyArgs {
  const at = text.search(/[{[]/);
  const name = (at >= 0 ? text.slice(0, at) : text)
    .trim()
    .replace(/^["'«“](.*)["'»”]$/, "$1")
    .trim();
  return { name, params: at >= 0 ? text.slice(at).trim() : null };
}

/**
 * JSON.parse, retried with straight quotes: phone keyboards turn " into “ ” (or « » in Russian)
 * as people type, and the JSON they meant is otherwise fine.
 */
export function parseParams(raw: string): { ok: true; value: unknown } | { ok: false } {
  for (const text of [raw, raw.replace(/[“”„«»]/g, '"')]) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      // try the next spelling
    }
  }
  return { ok: false };
}

const cut = (text: string, max: number) => {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
};

/** One line for lists: "window=20, z=2", cut to fit; null for no parameters. */
export function paramsSummary(params: unknown): string | null {
  if (typeof params !== "object" || params === null || Array.isArray(params))
    return params === null || params === undefined
      ? null
      : cut(JSON.stringify(params), SUMMARY_CHARS);
  const entries = Object.entries(params);
  if (!entries.length) return null;
  const text = entries
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");
  return cut(text, SUMMARY_CHARS);
}

/** Indented when that stays short; parameters may be up to 4 KB, a message is 4096 characters. */
function prettyParams(params: unknown): string {
  const pretty = JSON.stringify(params, null, 2);
  return pretty.length <= PRETTY_CHARS ? pretty : cut(JSON.stringify(params), PRETTY_CHARS);
}

function usageLine(ctx: BotContext, usage: StrategyUsage | undefined): string {
  const u = usage ?? { orders: 0, openPositions: 0 };
  return `${ctx.t("strategies-orders", { count: u.orders })} · ${ctx.t("strategies-open-positions", { count: u.openPositions })}`;
}

function usageHelp(ctx: BotContext): FormattedString {
  return fmt`${ctx.t("strategy-usage-new")}\n${FormattedString.code("/strategy new Dip rules buy 10% when RSI(14) < 30; sell all when RSI(14) > 70")}\n${ctx.t("strategy-usage-save")}\n${FormattedString.code(`/strategy ${EXAMPLE_NAME} ${EXAMPLE_PARAMS}`)}\n${ctx.t("strategy-usage-show")}\n${FormattedString.code(`/strategy ${EXAMPLE_NAME}`)}\n${ctx.t("strategy-usage-trade")}\n${FormattedString.code(`/buy BTCUSDT 0.01 strategy ${EXAMPLE_NAME}`)}\n${FormattedString.code(`/positions strategy ${EXAMPLE_NAME}`)}`;
}

/** A domain error explained, then what to do instead; anything else goes to the error boundary. */
async function explain(ctx: BotContext, error: unknown, hint: FormattedString): Promise<void> {
  if (!isDomainError(error)) throw error;
  await replyFmt(ctx, fmt`${describeDomainError((k, p) => ctx.t(k, p), error)}\n\n${hint}`);
}

// ───────────── /strategies ─────────────

async function strategiesCommand(ctx: ActorContext): Promise<void> {
  const arg = typeof ctx.match === "string" ? ctx.match.trim().toLowerCase() : "";
  if (arg && arg !== "all") {
    await ctx.reply(ctx.t("strategies-usage"));
    return;
  }
  const all = arg === "all";
  const { strategies } = ctx.deps.services;
  // every version either way: a strategy's orders and positions are counted across its versions,
  // the way /positions strategy NAME shows them
  const versions = await strategies.list(ctx.actor, true);
  const usage = await strategies.usage(
    ctx.actor,
    versions.map((v) => v.id),
  );
  const shown = all ? versions : versions.filter((v) => v.isActive);
  const title = FormattedString.b(
    ctx.t(all ? "strategies-title-all" : "strategies-title", { count: shown.length }),
  );
  if (!shown.length) {
    await replyFmt(ctx, fmt`${title}\n\n${ctx.t("strategies-none")}\n\n${usageHelp(ctx)}`);
    return;
  }
  const acrossVersions = (s: StrategyView): StrategyUsage =>
    versions
      .filter((v) => v.name.toLowerCase() === s.name.toLowerCase())
      .reduce(
        (sum, v) => {
          const u = usage.get(v.id);
          return {
            orders: sum.orders + (u?.orders ?? 0),
            openPositions: sum.openPositions + (u?.openPositions ?? 0),
          };
        },
        { orders: 0, openPositions: 0 },
      );
  const zone = ctx.user?.timeZone ?? "UTC";
  const entries = shown.slice(0, LIST_LIMIT).map((s) => {
    const active = all && s.isActive ? ` · ${ctx.t("strategies-active")}` : "";
    const created = ctx.t("strategies-created", { date: formatLocal(s.createdAt, zone) });
    const summary = paramsSummary(s.params);
    const params = summary
      ? FormattedString.code(summary)
      : FormattedString.i(ctx.t("strategies-no-params"));
    const counts = usageLine(ctx, all ? usage.get(s.id) : acrossVersions(s));
    return fmt`🧠 ${FormattedString.b(s.name)} v${s.version}${active} · ${created}\n   ${params}\n   ${counts}`;
  });
  const more =
    shown.length > LIST_LIMIT
      ? fmt`\n${ctx.t("strategies-more", { count: shown.length - LIST_LIMIT })}`
      : fmt``;
  await replyFmt(
    ctx,
    fmt`${title}\n\n${FormattedString.join(entries, "\n\n")}${more}\n\n${FormattedString.i(ctx.t("strategies-footer"))}`,
  );
}

// ───────────── /strategy ─────────────

async function strategyCommand(ctx: ActorContext): Promise<void> {
  const text = typeof ctx.match === "string" ? ctx.match : "";
  // "/strategy new NAME KIND ..." creates a strategy of a built-in kind; "/strategy new {json}"
  // still saves JSON under the name "new"
  const fresh = /^\s*new(?:\s+([^{[][\s\S]*))?$/i.exec(text);
  if (fresh) {
    await newStrategyCommand(ctx, fresh[1] ?? "", replySaved);
    return;
  }
  const args = parseStrategyArgs(text);
  if (!args.name && args.params === null) {
    await replyFmt(
      ctx,
      fmt`${FormattedString.b(ctx.t("strategy-usage-title"))}\n\n${usageHelp(ctx)}`,
    );
    return;
  }
  if (args.params === null) await showStrategy(ctx, args.name);
  else await saveStrategy(ctx, args.name, args.params);
}

async function saveStrategy(ctx: ActorContext, name: string, raw: string): Promise<void> {
  const parsed = parseParams(raw);
  if (!parsed.ok) {
    await replyFmt(
      ctx,
      fmt`${ctx.t("strategy-bad-json")}\n${FormattedString.code(`/strategy ${exampleName(name)} ${EXAMPLE_PARAMS}`)}`,
    );
    return;
  }
  let saved: StrategyView;
  try {
    saved = await ctx.deps.services.strategies.save(ctx.actor, name, parsed.value);
  } catch (e) {
    await explain(ctx, e, usageHelp(ctx));
    return;
  }
  await replySaved(ctx, saved);
}

/** The answer to a saved strategy: created (with how to trade it) or a new version. */
async function replySaved(ctx: BotContext, saved: StrategyView): Promise<void> {
  const params = fmt`${ctx.t("strategy-params")}\n${FormattedString.pre(prettyParams(saved.params), "json")}`;
  const vars = { name: saved.name, version: saved.version };
  if (saved.version === 1) {
    await replyFmt(
      ctx,
      fmt`✅ ${ctx.t("strategy-created", vars)}\n${params}\n${ctx.t("strategy-try")} ${FormattedString.code(`/buy BTCUSDT 0.01 strategy ${saved.name}`)}`,
    );
    return;
  }
  await replyFmt(
    ctx,
    fmt`✅ ${ctx.t("strategy-new-version", vars)}\n${ctx.t("strategy-history-kept", { ...vars, previous: saved.version - 1 })}\n\n${params}`,
  );
}

/**
 * The name to put in a suggested command: the one typed when it could be a name, else the
 * example's (a 4,000-character "name" repeated in the hint made the answer too long for
 * Telegram: found by the fuzzer).
 */
function exampleName(name: string): string {
  return name && [...name].length <= MAX_NAME_LENGTH ? name : EXAMPLE_NAME;
}

async function showStrategy(ctx: ActorContext, name: string): Promise<void> {
  const { strategies } = ctx.deps.services;
  let versions: StrategyView[];
  try {
    versions = await strategies.versions(ctx.actor, name);
  } catch (e) {
    // a typo, or a strategy not made yet: say how to see the ones there are and how to create it
    await explain(
      ctx,
      e,
      fmt`${ctx.t("strategies-footer")}\n${ctx.t("strategy-usage-save")} ${FormattedString.code(`/strategy ${exampleName(name)} ${EXAMPLE_PARAMS}`)}`,
    );
    return;
  }
  const usage = await strategies.usage(
    ctx.actor,
    versions.map((v) => v.id),
  );
  // which version runs where (/run): a new version changes nothing running until switched
  const running = await ctx.deps.services.strategyInstances.byVersion(
    ctx.actor,
    versions.map((v) => v.id),
  );
  const runsLine = (id: number) => {
    const where = running.get(id);
    return where?.length
      ? fmt`\n${ctx.t("strategy-runs-on", { portfolios: where.map((w) => (w.status === "PAUSED" ? `${w.portfolioName} ⏸` : w.portfolioName)).join(", ") })}`
      : fmt``;
  };
  const zone = ctx.user?.timeZone ?? "UTC";
  const current = versions[0]!;
  const title = fmt`${FormattedString.b(ctx.t("strategy-title", { name: current.name }))} · ${ctx.t("strategy-versions", { count: versions.length })}`;
  const blocks = versions.slice(0, SHOWN_VERSIONS).map((v) => {
    const active = v.isActive ? ` · ${ctx.t("strategies-active")}` : "";
    const created = ctx.t("strategies-created", { date: formatLocal(v.createdAt, zone) });
    const head = fmt`${FormattedString.b(`v${v.version}`)}${active} · ${created}\n${usageLine(ctx, usage.get(v.id))}${runsLine(v.id)}`;
    // the current version in full, older ones in a line: together they must fit one message
    if (v === current) return fmt`${head}\n${FormattedString.pre(prettyParams(v.params), "json")}`;
    const summary = paramsSummary(v.params);
    return fmt`${head}\n${summary ? FormattedString.code(summary) : FormattedString.i(ctx.t("strategies-no-params"))}`;
  });
  const hidden =
    versions.length > SHOWN_VERSIONS
      ? fmt`\n${ctx.t("strategy-older-hidden", { count: versions.length - SHOWN_VERSIONS })}`
      : fmt``;
  // the current parameters as the starting point for the next version, when they are short
  const compact = JSON.stringify(current.params);
  const next = compact.length <= 200 ? compact : EXAMPLE_PARAMS;
  await replyFmt(
    ctx,
    fmt`${title}\n\n${FormattedString.join(blocks, "\n\n")}${hidden}\n\n${ctx.t("strategy-new-version-hint")} ${FormattedString.code(`/strategy ${current.name} ${next}`)}\n${ctx.t("strategy-see-positions")} ${FormattedString.code(`/positions strategy ${current.name}`)}`,
  );
}

export function registerStrategies(registry: CommandRegistry): void {
  registry.add({
    name: "strategies",
    scope: "user",
    group: "strategies",
    descriptionKey: "cmd-strategies",
    exampleKey: "cmd-strategies-example",
    handler: strategiesCommand,
  });
  registry.add({
    name: "strategy",
    scope: "user",
    group: "strategies",
    descriptionKey: "cmd-strategy",
    exampleKey: "cmd-strategy-example",
    handler: strategyCommand,
  });
}
