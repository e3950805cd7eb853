// A broker as people read it: exchanges keep their own names ("Binance"), the simulated paper
// broker is named in the reader's language (its catalog name is English).
import type { Translate } from "../i18n.ts";

export function brokerLabel(t: Translate, broker: { code: string; name: string }): string {
  return broker.code === "PAPER" ? t("broker-name-paper") : broker.name;
}
