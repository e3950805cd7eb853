// Fluent translations from locales/*.ftl. The language is the one chosen in /settings, else
// Telegram's language_code when we have it, else DEFAULT_LOCALE. It is negotiated from the user
// row (not the session) so it is the same inside and outside conversations.
import path from "node:path";
import { I18n } from "@grammyjs/i18n";
import { SUPPORTED_LOCALES, type Locale } from "../config.ts";
import { PROJECT_ROOT } from "../lib/paths.ts";
import type { BaseContext } from "./context.ts";

export const LOCALES_DIR = path.join(PROJECT_ROOT, "locales");

export function pickLocale(
  chosen: string | null | undefined,
  telegram: string | null | undefined,
  fallback: Locale,
): Locale {
  const supported = (code: string | null | undefined): Locale | null => {
    const short = code?.toLowerCase().split(/[-_]/)[0];
    return (SUPPORTED_LOCALES as readonly string[]).includes(short ?? "")
      ? (short as Locale)
      : null;
  };
  return supported(chosen) ?? supported(telegram) ?? fallback;
}

export function createI18n(defaultLocale: Locale): I18n<BaseContext> {
  const i18n = new I18n<BaseContext>({
    defaultLocale,
    directory: LOCALES_DIR,
    useSession: false,
    // no Unicode isolation marks around placeables: they show up as junk in some clients
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) =>
      pickLocale(
        ctx.user?.language,
        ctx.user?.telegramLanguage ?? ctx.from?.language_code,
        defaultLocale,
      ),
  });
  memoizeBundleMatching(i18n);
  return i18n;
}

/**
 * Fluent's translate() negotiates which bundles serve the locale anew on every call
 * (negotiateLanguages over every bundle's locales): a /positions message calls it a dozen times,
 * and it was a tenth of /help's time. The answer depends only on the locales asked and the
 * bundles loaded, so it is kept per both. matchBundles is internal to @grammyjs/i18n (1.1.x): when
 * it is not there as expected, translation is left as it is, only slower.
 */
function memoizeBundleMatching(i18n: I18n<BaseContext>): void {
  const fluent = i18n.fluent as unknown as {
    matchBundles?: (locales: string[]) => unknown;
    bundles?: unknown;
  };
  const match = fluent.matchBundles;
  const bundles = fluent.bundles;
  if (typeof match !== "function" || !(bundles instanceof Set)) return;
  const known = new Map<string, unknown>();
  fluent.matchBundles = (locales: string[]) => {
    const key = `${bundles.size}|${locales.join(",")}`;
    let found = known.get(key);
    if (found === undefined) {
      found = match.call(fluent, locales);
      known.set(key, found);
    }
    return found;
  };
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** A translator for a given locale, for text rendered outside an update (notifications). */
export function translatorFor(i18n: I18n<BaseContext>, locale: string): Translate {
  return (key, params) => i18n.t(locale, key, params);
}
