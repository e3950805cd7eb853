// Amounts in error messages are read by people: grouped, in cents, in their own locale — not the
// exact digits the domain computes with ("48449.666883 USDT available").
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { describeDomainError } from "../../src/bot/errors.ts";
import { createI18n, translatorFor } from "../../src/bot/i18n.ts";
import { StateError, ValidationError } from "../../src/domain/errors.ts";

const i18n = createI18n("en");

describe("money in error messages", () => {
  it("formats the amounts of an error that names its currency, in each locale", () => {
    const error = new ValidationError("amount", "error-insufficient-cash", {
      currency: "USDT",
      available: "48449.666883",
      required: "97601493.99",
    });
    expect(describeDomainError(translatorFor(i18n, "en"), error)).toBe(
      "Not enough cash: 48,449.67 USDT available, 97,601,493.99 USDT needed.",
    );
    const ru = describeDomainError(translatorFor(i18n, "ru"), error);
    expect(ru).toMatch(/48\s449,67 USDT/);
    expect(ru).toMatch(/97\s601\s493,99 USDT/);
  });

  it("keeps tiny amounts readable and leaves non-money parameters alone", () => {
    const error = new StateError("error-portfolio-has-cash", {
      name: "Main 2024",
      amount: "0.000123456",
      currency: "BTC",
    });
    expect(describeDomainError(translatorFor(i18n, "en"), error)).toContain(
      "Portfolio “Main 2024” still holds 0.0001235 BTC.",
    );
  });
});

describe("order status in errors", () => {
  it("says what happened to the order instead of 'is canceled and can no longer be canceled'", () => {
    const canceled = new StateError("error-order-not-open", { id: 2, status: "CANCELED" });
    expect(describeDomainError(translatorFor(i18n, "en"), canceled)).toBe(
      "Order #2 is already canceled.",
    );
    expect(describeDomainError(translatorFor(i18n, "ru"), canceled)).toBe("Ордер #2 уже отменён.");
  });

  it("calls an order «ордер» everywhere in Russian; «заявка» is only an access request", () => {
    // the keys of access requests (applying, approving, rejecting): the only place for «заявка»
    const ACCESS =
      /^(access-|approval-|onboarding-|help-footer-|users-confirm-rj|cmd-pending|error-access-|error-reapply-|flow-onboarding|##)/;
    const dir = new URL("../../locales/ru/", import.meta.url);
    for (const file of fs.readdirSync(dir)) {
      let key = "";
      for (const line of fs.readFileSync(new URL(file, dir), "utf8").split("\n")) {
        key = line.match(/^([a-z][\w-]*) =/)?.[1] ?? (line.startsWith("#") ? "##" : key);
        if (/заявк|заявок/i.test(line)) expect(key, `${file}: ${line}`).toMatch(ACCESS);
      }
    }
  });
});

describe("cron errors in the reader's language", () => {
  it("words croner's refusal itself, never in English for a Russian reader", () => {
    const error = new ValidationError("scheduleCron", "error-schedule-cron-invalid", {
      cron: "каждый день",
      problem: "count",
      count: 2,
      example: "0 9 * * 1-5",
    });
    const ru = describeDomainError(translatorFor(i18n, "ru"), error);
    expect(ru).toContain("«каждый день» — неверное cron-выражение: в нём полей: 2.");
    expect(ru).not.toMatch(/exactly|five|six|seven|fields|expected|invalid/i);
    const field = new ValidationError("scheduleCron", "error-schedule-cron-invalid", {
      cron: "61 9 * * *",
      problem: "field",
      field: "minute",
      value: "61",
      example: "0 9 * * 1-5",
    });
    expect(describeDomainError(translatorFor(i18n, "en"), field)).toContain(
      "“61 9 * * *” is not a valid cron expression: the minute (0–59) cannot be “61”.",
    );
  });
});
