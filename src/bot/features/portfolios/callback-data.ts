// The buttons of portfolios.ts that live outside its menus (the menus keep the menu plugin's own
// data): "create a portfolio on this account" after /newaccount, and the ways out of a refused
// deletion. Their own module, as the account conversations make the first one too.
import { callbackData } from "../../callback-data.ts";

export const newPortfolioOn = callbackData("pf", "new", { accountId: "id" });

/** under a refused deletion: cancel the open orders, close the positions, delete once flat */
export const cancelPortfolioOrders = callbackData("pfd", "co", { portfolioId: "id" });
export const closePortfolioPositions = callbackData("pfd", "cp", { portfolioId: "id" });
export const deletePortfolioNow = callbackData("pfd", "del", { portfolioId: "id" });
