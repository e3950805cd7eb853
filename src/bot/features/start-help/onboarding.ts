// Onboarding for someone who is not yet approved: what TradeDesk is, their language, their time
// zone, an optional note for the admin — then the application goes to every admin with Approve /
// Reject buttons, and the applicant waits. The conversation's state is stored in the database,
// so a restart in the middle resumes at the same question.
import { fmt } from "@grammyjs/parse-mode";
import { SUPPORTED_LOCALES } from "../../../config.ts";
import { isValidTimeZone } from "../../../lib/time.ts";
import type { BotConversation, ConvContext } from "../../context.ts";
import { dropButtons } from "../../conversations/ask.ts";
import { replyFmt } from "../../format/reply.ts";
import { COMMON_TIME_ZONES, button, grid, keyboard } from "../../keyboards.ts";
import { requestApproval } from "../approvals/approvals.ts";
import { reask } from "../../conversations/ask.ts";
import { onboardingLanguage, onboardingZone, skipNote } from "./callback-data.ts";

export const ONBOARDING = "onboarding";

const LANGUAGE_NAMES: Record<string, string> = { en: "English", ru: "Русский" };

export async function onboarding(conversation: BotConversation, ctx: ConvContext): Promise<void> {
  const userId = ctx.user?.id;
  if (!userId) return;

  // 1. what this is, and the language
  await replyFmt(
    ctx,
    fmt`${ctx.t("onboarding-welcome")}\n\n${ctx.t("onboarding-choose-language")}`,
    keyboard([
      SUPPORTED_LOCALES.map((l) =>
        button(LANGUAGE_NAMES[l] ?? l, onboardingLanguage.pack({ language: l })),
      ),
    ]),
  );
  const langCtx = await conversation.waitForCallbackQuery(onboardingLanguage.filter, {
    otherwise: reask("onboarding-press-button"),
  });
  const language = onboardingLanguage.unpack(langCtx.callbackQuery.data)?.language ?? "en";
  await conversation.external((c) => c.deps.services.users.setLanguage(userId, language));
  langCtx.i18n.useLocale(language);
  await langCtx.answerCallbackQuery();
  await langCtx
    .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
    .catch(() => undefined);

  // 2. time zone: a button, or typed
  const zonePrompt = await langCtx.reply(langCtx.t("onboarding-time-zone"), {
    reply_markup: keyboard(
      grid(
        COMMON_TIME_ZONES.map((z) => button(z, onboardingZone.pack({ zone: z }))),
        2,
      ),
    ),
  });
  let timeZone: string | null = null;
  let last: ConvContext = langCtx;
  while (timeZone === null) {
    const answer = await conversation.wait();
    last = answer;
    answer.i18n.useLocale(language);
    const pressed = onboardingZone.unpack(answer.callbackQuery?.data)?.zone;
    const typed = answer.message?.text?.trim();
    if (pressed && isValidTimeZone(pressed)) {
      timeZone = pressed;
      await answer.answerCallbackQuery();
      await answer
        .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
        .catch(() => undefined);
    } else if (typed && !typed.startsWith("/") && isValidTimeZone(typed)) {
      timeZone = typed;
      await dropButtons(answer, zonePrompt);
    } else if (typed) {
      await answer.reply(
        answer.t("onboarding-time-zone-invalid", {
          value: typed.slice(0, 64),
          example: "Europe/Berlin",
        }),
      );
    } else {
      if (answer.callbackQuery) await answer.answerCallbackQuery();
      await answer.reply(answer.t("onboarding-time-zone-again"));
    }
  }

  // 3. an optional note for the admin (replies use the newest context: it has the new language)
  const notePrompt = await last.reply(last.t("onboarding-note", { zone: timeZone }), {
    reply_markup: keyboard([[button(last.t("onboarding-skip"), skipNote.pack({}))]]),
  });
  let note: string | null = null;
  for (;;) {
    const answer = await conversation.wait();
    last = answer;
    answer.i18n.useLocale(language);
    if (skipNote.unpack(answer.callbackQuery?.data)) {
      await answer.answerCallbackQuery();
      await answer
        .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
        .catch(() => undefined);
      break;
    }
    const text = answer.message?.text?.trim();
    if (text && !text.startsWith("/")) {
      note = text.slice(0, 500);
      await dropButtons(answer, notePrompt);
      break;
    }
    if (answer.callbackQuery) await answer.answerCallbackQuery();
    await answer.reply(answer.t("onboarding-note-again"));
  }

  // 4. submit and tell every admin
  await conversation.external(async (c) => {
    const user = await c.deps.services.users.submitApplication(userId, {
      language,
      timeZone,
      note,
    });
    await requestApproval(c.deps, user);
  });
  await last.reply(last.t("onboarding-submitted"));
}
