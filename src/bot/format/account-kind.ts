// How an account is marked wherever it is named: " (paper)" for the paper broker, " (testnet)"
// for a live account on the exchange's testnet, nothing for real money. One place, so no list
// or card forgets to say that an account is not trading real money.
import type { Translate } from "../i18n.ts";

export function accountKind(t: Translate, account: { isPaper: boolean; testnet: boolean }): string {
  if (account.isPaper) return ` (${t("portfolio-paper")})`;
  if (account.testnet) return ` (${t("portfolio-testnet")})`;
  return "";
}
