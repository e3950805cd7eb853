// The risk commands: /risk [portfolio] (the policies bearing on a portfolio, see
// risk-overview.ts), /newpolicy (the policy conversation), /policy delete|pause|resume ID, and
// for admins /userpolicy <telegram id or @username> (a user's policies, and a USER-scope policy
// set for them).
import type { CommandRegistry } from "../../commands/registry.ts";
import type { ActorContext } from "../../context.ts";
import { replyFmt } from "../../format/reply.ts";
import { parseId } from "../../keyboards.ts";
import { NEW_POLICY, type PolicyConversationStart } from "./risk-policy.ts";
import { type RiskBotDeps, renderOverview, renderUserPolicies } from "./risk-overview.ts";

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
