// The bot the benchmarks run: its token and identity, so no benchmark calls getMe. Its own module
// (not B2's) because B7's child is bundled for running (scripts/build.ts), and a bundle would carry
// B2's run-when-started check along, which is true for every module of a bundle.
import type { UserFromGetMe } from "grammy/types";

export const TOKEN = "123456:BENCHTOKENabcdefghij";

export const BOT_INFO: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: "TradeDesk",
  username: "tradedesk_bench_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};
