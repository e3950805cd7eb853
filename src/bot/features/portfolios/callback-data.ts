// The buttons of the portfolios feature that live outside its menus (the menus keep the menu
// plugin's own data): "create a portfolio on this account" after /newaccount, the ways out of a
// refused deletion, and the step buttons of the /newaccount and /newportfolio conversations.
import { callbackData } from "../../callback-data.ts";

export const newPortfolioOn = callbackData("pf", "new", { accountId: "id" });

/** under a refused deletion: cancel the open orders, close the positions, delete once flat */
export const cancelPortfolioOrders = callbackData("pfd", "co", { portfolioId: "id" });
export const closePortfolioPositions = callbackData("pfd", "cp", { portfolioId: "id" });
export const deletePortfolioNow = callbackData("pfd", "del", { portfolioId: "id" });

/** The account currencies offered as buttons in /newaccount; any other can be typed. */
export const ACCOUNT_CURRENCIES = ["USDT", "USD", "EUR"] as const;
/** The paper money offered to start with; any other amount can be typed. */
export const STARTING_CASH = ["10000", "100000", "1000000"] as const;

// /newaccount, step by step ("acc:<step>:<answer>"): the broker (its code), the account's
// currency, a paper account's starting cash, and for a live one testnet or real money
export const pickBroker = callbackData("acc", "b", { code: "string" });
export const pickCurrency = callbackData("acc", "c", { currency: ACCOUNT_CURRENCIES });
export const pickStartingCash = callbackData("acc", "m", { amount: STARTING_CASH });
export const pickTestnet = callbackData("acc", "t", { testnet: ["yes", "no"] });

/** /newportfolio: the account the portfolio goes on ("pf:acc:<account id>") */
export const pickAccount = callbackData("pf", "acc", { accountId: "id" });
