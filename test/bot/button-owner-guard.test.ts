// The button-owner guard on its own: in a private chat the data is passed on whole, even when
// it happens to end in "~" and a few letters (a menu button's hash is arbitrary text: the
// /settings Back button's was "h…~1h" and was refused as someone else's); in a group the owner
// tag is checked and stripped, and a press by anyone else is refused with nothing run.
import { describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.ts";
import { buttonOwnerGuard } from "../../src/bot/middlewares/button-owner.ts";
import { tagOwner } from "../../src/lib/button-owner.ts";

interface Outcome {
  passedData: string | null;
  toast: string | null;
}

async function pressWith(
  data: string,
  chat: { id: number; type: "private" | "supergroup" },
  from: number,
): Promise<Outcome> {
  const outcome: Outcome = { passedData: null, toast: null };
  const query = { id: "1", data, from: { id: from }, message: { chat } };
  const ctx = {
    callbackQuery: query,
    from: { id: from },
    update: { update_id: 1 },
    deps: { logger: { info: () => undefined } },
    t: (key: string) => key,
    answerCallbackQuery: async (o: { text: string }) => {
      outcome.toast = o.text;
      return true;
    },
    api: { config: { use: () => undefined } },
  } as unknown as BotContext;
  await buttonOwnerGuard()(ctx, async () => {
    outcome.passedData = query.data;
  });
  return outcome;
}

describe("buttonOwnerGuard", () => {
  it("passes a private chat's press on with its data whole, whatever it ends with", async () => {
    const menuData = "settings-pf/4/0/2/h\u00ff~1h";
    expect(await pressWith(menuData, { id: 7, type: "private" }, 7)).toEqual({
      passedData: menuData,
      toast: null,
    });
  });

  it("in a group checks the owner tag and strips it; refuses anyone else", async () => {
    const data = tagOwner("settings-pf/4/0/2/h\u00ff~1h", 7);
    const group = { id: -100, type: "supergroup" as const };
    expect(await pressWith(data, group, 7)).toEqual({
      passedData: "settings-pf/4/0/2/h\u00ff~1h",
      toast: null,
    });
    expect(await pressWith(data, group, 8)).toEqual({
      passedData: null,
      toast: "button-not-yours",
    });
    // untagged data in a group belongs to no one
    expect((await pressWith("settings/0/0//hxyz", group, 7)).passedData).toBeNull();
  });
});
