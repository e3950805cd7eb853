// The buttons under /risk and /userpolicy: edit (the policy conversation), pause or resume,
// delete (asked once more), and a new policy; the list is redrawn in place after each.
import { fmt } from "@grammyjs/parse-mode";
import { Composer } from "grammy";
import { isDomainError } from "../../../domain/errors.ts";
import type { BotContext } from "../../context.ts";
import { describeDomainError } from "../../errors.ts";
import { editFmt } from "../../format/reply.ts";
import { button, keyboard } from "../../keyboards.ts";
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
import { NEW_POLICY, type PolicyConversationStart } from "./risk-policy.ts";
import { type RiskBotDeps, renderOverview, renderUserPolicies } from "./risk-overview.ts";

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
