// setMyCommands / getMyCommands / deleteMyCommands, stored per scope and language_code exactly
// as given (getMyCommands does not fall back; see visibleCommands for what users see).
import type { BotCommand } from "grammy/types";
import { badRequest } from "../api-error.ts";
import { resolveScope, scopeKey } from "../command-scopes.ts";
import type { MethodContext } from "./context.ts";

const MAX_COMMANDS = 100;

function readScopeKey(ctx: MethodContext): string {
  const scope = ctx.params.json<unknown>("scope", () =>
    badRequest("can't parse BotCommandScope JSON object"),
  );
  const language = ctx.params.string("language_code") ?? "";
  if (language !== "" && !/^[a-z]{2}$/.test(language))
    throw badRequest("invalid language code specified");
  return scopeKey(resolveScope(ctx.world, scope), language);
}

function readCommands(ctx: MethodContext): BotCommand[] {
  const commands = ctx.params.json<unknown>("commands", () =>
    badRequest("can't parse commands JSON object"),
  );
  if (commands === undefined) return [];
  if (!Array.isArray(commands)) throw badRequest('field "commands" must be an Array');
  if (commands.length > MAX_COMMANDS) throw badRequest("BOT_COMMANDS_TOO_MUCH");
  return commands.map((entry: unknown) => {
    if (typeof entry !== "object" || entry === null)
      throw badRequest("can't parse BotCommand: expected an Object");
    const { command: rawCommand, description: rawDescription } = entry as Record<string, unknown>;
    if (typeof rawCommand !== "string" || typeof rawDescription !== "string") {
      throw badRequest('can\'t parse BotCommand: Field "command" must be of type String');
    }
    const command = rawCommand.trim().replace(/^\//, "");
    const description = rawDescription.trim();
    if (command === "") throw badRequest("command must be non-empty");
    if ([...command].length > 32) throw badRequest("command length must not exceed 32");
    if (description === "") throw badRequest("command description must be non-empty");
    if ([...description].length > 256)
      throw badRequest("command description length must not exceed 256");
    // Telegram's servers accept lowercase letters, digits and underscores only
    if (!/^[a-z0-9_]+$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
    return { command, description };
  });
}

export function setMyCommands(ctx: MethodContext): true {
  const commands = readCommands(ctx);
  const key = readScopeKey(ctx);
  if (commands.length === 0) ctx.bot.commands.delete(key);
  else ctx.bot.commands.set(key, commands);
  return true;
}

export function getMyCommands(ctx: MethodContext): BotCommand[] {
  return ctx.bot.commands.get(readScopeKey(ctx)) ?? [];
}

export function deleteMyCommands(ctx: MethodContext): true {
  ctx.bot.commands.delete(readScopeKey(ctx));
  return true;
}
