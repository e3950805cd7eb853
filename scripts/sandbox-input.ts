// What a line typed into `npm run sandbox` means. Kept apart from the terminal and the twin so the
// rules are plain and testable:
//   - a line starting with ":" is a sandbox command (:help lists them);
//   - a number alone presses that button of the LAST message with buttons in the current chat,
//     but only while that message still has a button with that number; any other number (or
//     any number when there are no buttons) is sent as text;
//   - `:say TEXT` always sends TEXT as text (a number in the range of the buttons, a line
//     starting with ":"), `:press N` always presses (and says why when it cannot);
//   - anything else is sent as text, /commands included.
// With `--live` a local exchange twin runs too; `:price` and `:balance` act on it (parsed here,
// carried out in scripts/sandbox-live.ts).

export type SandboxAction =
  | { kind: "empty" }
  | { kind: "send"; text: string }
  /** 1-based button number; on `messageId` or else the last message with buttons */
  | { kind: "press"; button: number; messageId?: number }
  | { kind: "as"; id: number; name?: string; language?: string }
  | { kind: "group"; title: string }
  | { kind: "private" }
  | { kind: "who" }
  | { kind: "help" }
  /** the exchange twin (--live): move a symbol's price, or show it when `price` is absent */
  | { kind: "price"; symbol: string; price?: string }
  /** the exchange twin (--live): set an asset's free balance, or list them all when `asset` is absent */
  | { kind: "balance"; asset?: string; amount?: string }
  | { kind: "quit" }
  | { kind: "invalid"; reason: string };

export const SANDBOX_HELP = `Sandbox commands (everything else is sent to the bot as you typed it):
  /start, /help, any text      sent as the current user, in the current chat
  N (a number alone)           presses button [N] of the last message with buttons in this chat,
                               while that message still has it; otherwise N is sent as text
  :press N [MSG]               presses button [N] (of message #MSG, default: the last with buttons)
  :say TEXT                    sends TEXT as text, even a number or a line starting with ":"
  :as ID [Name] [lang]         become another user (created on first use; the admin is 1000)
  :group [Title]               act in a group chat with the bot (created, you and the bot added),
                               e.g. to post /link CODE from /chats; messages go there until :private
  :private                     back to your private chat with the bot
  :who                         who and where you are
With --live (npm run sandbox -- --live; a local exchange twin stands in for Binance):
  :price SYMBOL VALUE          moves SYMBOL's price on the exchange (resting orders that cross
                               fill), e.g. :price BTCUSDT 65000; :price SYMBOL shows it
  :balance ASSET AMOUNT        sets the exchange account's free ASSET, e.g. :balance USDT 5000;
                               :balance alone lists the account's balances
  :help                        this list
  :quit                        stop and delete the temporary data (also Ctrl+D)
Bot messages show as [bot #ID]; buttons as [1] [2] ...; toasts and alerts of a button press as
[toast] and [alert]; the bot's JSON log goes to the file printed at start.`;

/**
 * Parses one line. `buttons` is how many buttons the last message with buttons in the current
 * chat has now (0 when none, or when they were removed since).
 */
export function parseLine(line: string, buttons: number): SandboxAction {
  const text = line.trim();
  if (!text) return { kind: "empty" };
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= 1 && n <= buttons ? { kind: "press", button: n } : { kind: "send", text };
  }
  if (!text.startsWith(":")) return { kind: "send", text };
  const [command = "", ...rest] = text.slice(1).split(/\s+/);
  const args = rest.join(" ");
  switch (command.toLowerCase()) {
    case "say":
      // the text after ":say ", as typed (inner spacing kept)
      return args
        ? { kind: "send", text: line.trimStart().slice(":say".length).trim() }
        : { kind: "invalid", reason: "usage: :say TEXT" };
    case "press": {
      const m = args.match(/^(\d{1,3})(?:\s+#?(\d{1,9}))?$/);
      if (!m) return { kind: "invalid", reason: "usage: :press N [MSG] (N is a button number)" };
      return {
        kind: "press",
        button: Number(m[1]),
        ...(m[2] ? { messageId: Number(m[2]) } : {}),
      };
    }
    case "as": {
      const m = args.match(/^(\d{1,12})(?:\s+(\S+))?(?:\s+([a-z]{2}))?$/i);
      if (!m) return { kind: "invalid", reason: "usage: :as ID [Name] [lang], e.g. :as 42 Zoe ru" };
      return {
        kind: "as",
        id: Number(m[1]),
        ...(m[2] ? { name: m[2] } : {}),
        ...(m[3] ? { language: m[3].toLowerCase() } : {}),
      };
    }
    case "group":
      return { kind: "group", title: args || "Trading desk" };
    case "private":
      return { kind: "private" };
    case "who":
      return { kind: "who" };
    case "price":
      return parsePrice(rest);
    case "balance":
    case "balances":
      return parseBalance(rest);
    case "help":
    case "?":
      return { kind: "help" };
    case "quit":
    case "exit":
      return { kind: "quit" };
    default:
      return {
        kind: "invalid",
        reason: `unknown sandbox command ":${command}" — :help lists them (use :say to send it as text)`,
      };
  }
}

/** A plain positive or zero decimal as typed ("65000", "0.5"; a comma is taken for the point). */
const DECIMAL = /^\d{1,15}(?:\.\d{1,18})?$/;
/** An exchange symbol or asset: letters and digits ("BTCUSDT", "USDT", "1INCH"). */
const TICKER = /^[A-Z0-9]{2,20}$/;

function decimalArg(raw: string): string | null {
  const value = raw.replace(",", ".");
  return DECIMAL.test(value) ? value.replace(/^0+(?=\d)/, "") : null;
}

function parsePrice(args: string[]): SandboxAction {
  const usage =
    "usage: :price SYMBOL VALUE, e.g. :price BTCUSDT 65000 (or :price SYMBOL to see it)";
  if (args.length < 1 || args.length > 2) return { kind: "invalid", reason: usage };
  const symbol = args[0]!.toUpperCase().replace(/[/\-_]/g, "");
  if (!TICKER.test(symbol))
    return { kind: "invalid", reason: `“${args[0]}” is not a symbol; ${usage}` };
  if (args.length === 1) return { kind: "price", symbol };
  const price = decimalArg(args[1]!);
  // positive: some digit other than zero
  if (price === null || !/[1-9]/.test(price))
    return { kind: "invalid", reason: `the price must be a positive number, not “${args[1]}”` };
  return { kind: "price", symbol, price };
}

function parseBalance(args: string[]): SandboxAction {
  const usage = "usage: :balance ASSET AMOUNT, e.g. :balance USDT 5000 (or :balance to list them)";
  if (args.length === 0) return { kind: "balance" };
  if (args.length !== 2) return { kind: "invalid", reason: usage };
  const asset = args[0]!.toUpperCase();
  if (!TICKER.test(asset))
    return { kind: "invalid", reason: `“${args[0]}” is not an asset; ${usage}` };
  const amount = decimalArg(args[1]!);
  if (amount === null)
    return { kind: "invalid", reason: `the amount must be a number ≥ 0, not “${args[1]}”` };
  return { kind: "balance", asset, amount };
}
