// Wrong /link codes, counted so that guessing is pointless. A code is 8 characters of 31 (about
// 8.5e11), alive for 15 minutes; with at most LINK_FAILURE_LIMIT wrong codes per poster and per
// chat in LINK_FAILURE_WINDOW_MS, and every code (the right one too) refused past that until the
// window has moved on, a guesser gets five tries in ten minutes and learns nothing from them.
// The failures live in the database (chat_link_failures), not in memory, so two bot instances
// count the same attempts; the time comes from the services' clock.
import type { Db } from "../../db/client.ts";
import type { Clock } from "../../lib/clock.ts";
import { StateError } from "../errors.ts";

export const LINK_FAILURE_LIMIT = 5;
export const LINK_FAILURE_WINDOW_MS = 10 * 60 * 1000;

export interface LinkPoster {
  /** Telegram id of the person who posted the code; null for a channel post */
  telegramUserId: string | null;
  /** Telegram id of the group or channel */
  chatId: string;
}

export class LinkFailures {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /**
   * Throws when the poster or the chat already had LINK_FAILURE_LIMIT wrong codes within the
   * window, saying in how many minutes codes are taken again. Checked before the code is looked
   * at, so a refusal says nothing about the code.
   */
  async assertAllowed(poster: LinkPoster): Promise<void> {
    const now = this.clock.now().getTime();
    const since = new Date(now - LINK_FAILURE_WINDOW_MS);
    const waits: number[] = [];
    const scopes = [
      { chatId: poster.chatId },
      ...(poster.telegramUserId === null ? [] : [{ telegramUserId: poster.telegramUserId }]),
    ];
    for (const scope of scopes) {
      const recent = await this.db.chatLinkFailure.findMany({
        where: { ...scope, createdAt: { gt: since } },
        orderBy: { createdAt: "desc" },
        take: LINK_FAILURE_LIMIT,
        select: { createdAt: true },
      });
      if (recent.length < LINK_FAILURE_LIMIT) continue;
      // taken again once the oldest of the last LIMIT failures leaves the window
      waits.push(recent.at(-1)!.createdAt.getTime() + LINK_FAILURE_WINDOW_MS - now);
    }
    if (waits.length === 0) return;
    const minutes = Math.max(1, Math.ceil(Math.max(...waits) / 60_000));
    throw new StateError("error-chat-link-too-many", {
      limit: LINK_FAILURE_LIMIT,
      window: LINK_FAILURE_WINDOW_MS / 60_000,
      minutes,
    });
  }

  /** Counts one wrong code, and forgets failures the window has left behind. */
  async record(poster: LinkPoster): Promise<void> {
    const now = this.clock.now();
    await this.db.chatLinkFailure.create({
      data: { telegramUserId: poster.telegramUserId, chatId: poster.chatId, createdAt: now },
    });
    await this.db.chatLinkFailure.deleteMany({
      where: { createdAt: { lte: new Date(now.getTime() - LINK_FAILURE_WINDOW_MS) } },
    });
  }
}
