// The buttons of /outbox: a page of failed messages ("obx:p:<page>"), requeue one
// ("obx:r:<id>:<page>") or all of them ("obx:all:<page>").
import { callbackData } from "../../callback-data.ts";

export const outboxPage = callbackData("obx", "p", { page: "id" });
export const requeueOne = callbackData("obx", "r", { id: "id", page: "id" });
export const requeueAll = callbackData("obx", "all", { page: "id" });
