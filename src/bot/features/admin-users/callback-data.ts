// The buttons of /users: a filtered page of the list, one person's card, an action asked once more
// ("c") or done ("a"). Every button after the list carries the list's filter and page to go back to.
import type { UserFilter } from "../../../domain/users/user-service.ts";
import { callbackData } from "../../callback-data.ts";

export const USER_FILTERS = [
  "all",
  "pending",
  "active",
  "inactive",
  "admins",
] as const satisfies readonly UserFilter[];

/** Actions that take something away or hand out power: asked once more before they happen. */
export const CONFIRMED_ACTIONS = ["rj", "de", "re", "pr", "dm"] as const;
export const USER_ACTIONS = ["ap", ...CONFIRMED_ACTIONS] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

const back = { filter: USER_FILTERS, page: "id" } as const;
export const usersList = callbackData("usr", "l", back);
export const userView = callbackData("usr", "v", { userId: "id", ...back });
export const userConfirm = callbackData("usr", "c", {
  action: CONFIRMED_ACTIONS,
  userId: "id",
  ...back,
});
export const userAct = callbackData("usr", "a", { action: USER_ACTIONS, userId: "id", ...back });
