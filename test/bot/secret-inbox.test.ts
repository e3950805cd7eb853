// The in-memory inbox that holds a typed secret between its (deleted) message and its encryption:
// taken once, only by its owner, gone after its time; the marker carries no secret.
import { describe, expect, it } from "vitest";
import { SecretInbox, readSecretMarker, secretMarker } from "../../src/bot/secret-inbox.ts";

describe("SecretInbox", () => {
  it("gives a secret back once, to its owner only", () => {
    const inbox = new SecretInbox();
    const token = inbox.put("chat-1", "the-secret");
    expect(inbox.take("chat-2", token)).toBeNull();
    expect(inbox.take("chat-1", token)).toBe("the-secret");
    expect(inbox.take("chat-1", token)).toBeNull();
    expect(inbox.size).toBe(0);
  });

  it("forgets secrets after their time, and on discard", () => {
    let now = 0;
    const inbox = new SecretInbox(1000, () => now);
    const a = inbox.put("o", "a");
    const b = inbox.put("o", "b");
    inbox.discard([b]);
    expect(inbox.take("o", b)).toBeNull();
    now = 1000;
    expect(inbox.take("o", a)).toBeNull();
    expect(inbox.size).toBe(0);
  });

  it("marks a captured message with a token and whether it was deleted, nothing more", () => {
    const inbox = new SecretInbox();
    const token = inbox.put("o", "s3cr3t");
    const marker = secretMarker(token, true);
    expect(marker).not.toContain("s3cr3t");
    expect(readSecretMarker(marker)).toEqual({ token, deleted: true });
    expect(readSecretMarker(secretMarker(token, false))).toEqual({ token, deleted: false });
    // text a user could type is never a marker
    expect(readSecretMarker(`secret:${token}:deleted`)).toBeNull();
    expect(readSecretMarker("hello")).toBeNull();
    expect(readSecretMarker(undefined)).toBeNull();
  });
});
