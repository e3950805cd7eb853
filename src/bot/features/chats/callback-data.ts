// The buttons of /chats: the list ("cht:l"), a new destination ("cht:add"), and one destination's
// card: view, minimum severity, mute, unmute, remove ("cht:<action>:<id>[:<severity>]").
import { SEVERITIES } from "../../../domain/notifications/notification-types.ts";
import { callbackData } from "../../callback-data.ts";

export const chatList = callbackData("cht", "l", {});
export const chatAdd = callbackData("cht", "add", {});
export const chatView = callbackData("cht", "v", { id: "id" });
export const chatSeverity = callbackData("cht", "s", { id: "id", severity: SEVERITIES });
export const chatMute = callbackData("cht", "m", { id: "id" });
export const chatUnmute = callbackData("cht", "u", { id: "id" });
export const chatRemove = callbackData("cht", "r", { id: "id" });
