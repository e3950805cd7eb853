// The portfolios feature: what bot.ts installs for it, phase by phase (see ../../feature.ts).
import type { FeatureFactory } from "../../feature.ts";
import {
  NEW_ACCOUNT,
  NEW_PORTFOLIO,
  RENAME_PORTFOLIO,
  newAccount,
  newPortfolio,
  renamePortfolio,
} from "./portfolio-setup.ts";
import { portfolioButtonsFeature } from "./portfolio-buttons.ts";
import { createPortfolioMenu } from "./portfolio-menu.ts";
import { registerPortfolios } from "./portfolios.ts";

export const feature: FeatureFactory = () => {
  const menu = createPortfolioMenu();
  return {
    name: "portfolios",
    conversations: [
      [newAccount, NEW_ACCOUNT],
      [newPortfolio, NEW_PORTFOLIO],
      [renamePortfolio, RENAME_PORTFOLIO],
    ],
    menus: [menu],
    register: (registry) => registerPortfolios(registry, menu),
    handlers: portfolioButtonsFeature(),
  };
};
