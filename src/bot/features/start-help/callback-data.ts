// The step buttons of onboarding (onboarding.ts): "onb:lang:<language>", "onb:tz:<time zone>"
// (the conversation checks the zone is one) and "onb:skip" for the note to the admin.
import { SUPPORTED_LOCALES } from "../../../config.ts";
import { callbackData } from "../../callback-data.ts";

export const onboardingLanguage = callbackData("onb", "lang", { language: SUPPORTED_LOCALES });
export const onboardingZone = callbackData("onb", "tz", { zone: "string" });
export const skipNote = callbackData("onb", "skip", {});
