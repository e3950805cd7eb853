// Classifying send failures from grammY's own error classes, as the real Api throws them.
import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { classifySendError } from "../../../src/bot/outbox/telegram-errors.ts";

function apiError(code: number, description: string, retryAfter?: number): GrammyError {
  return new GrammyError(
    `Call to 'sendMessage' failed!`,
    {
      ok: false,
      error_code: code,
      description,
      ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}),
    },
    "sendMessage",
    {},
  );
}

describe("classifySendError", () => {
  it("turns each Bot API answer into what the drainer does next", () => {
    expect(classifySendError(apiError(429, "Too Many Requests: retry after 7", 7))).toMatchObject({
      kind: "flood",
      retryAfterMs: 7000,
      global: false,
    });
    expect(
      classifySendError(apiError(400, "Bad Request: can't parse entities: Unsupported start tag")),
    ).toMatchObject({ kind: "parse" });
    expect(classifySendError(apiError(400, "Bad Request: chat not found"))).toMatchObject({
      kind: "permanent",
      description: "400: Bad Request: chat not found",
    });
    for (const d of [
      "Forbidden: bot was blocked by the user",
      "Forbidden: bot was kicked from the group chat",
      "Forbidden: user is deactivated",
    ]) {
      expect(classifySendError(apiError(403, d)).kind).toBe("blocked");
    }
    expect(classifySendError(apiError(502, "Bad Gateway")).kind).toBe("transient");
    expect(classifySendError(apiError(500, "Internal Server Error")).kind).toBe("transient");
    expect(
      classifySendError(new HttpError("Network request failed", new Error("ECONNRESET"))),
    ).toEqual({
      kind: "transient",
      description: "network: ECONNRESET",
    });
    expect(classifySendError(new Error("boom")).kind).toBe("transient");
  });
});
