// The twin's engine, independent of HTTP: bots, the world, limits and faults, the record of
// calls, and `execute`, which runs one Bot API call and produces Telegram's reply.
import { randomBytes } from "node:crypto";
import type { Update, User } from "grammy/types";
import { ApiError, METHOD_NOT_FOUND, UNAUTHORIZED } from "./api-error.ts";
import { BotRecord } from "./bot-state.ts";
import { TwinEvents } from "./events.ts";
import { FaultQueue } from "./faults.ts";
import { type MethodContext, type TwinServices, WithDescription } from "./methods/context.ts";
import { allowedAsWebhookReply, findMethod } from "./methods/index.ts";
import { Params } from "./params.ts";
import { SendRateLimiter } from "./rate-limiter.ts";
import type {
  ApiCall,
  ApiResponse,
  BotInfo,
  BotSpec,
  CallbackAnswer,
  TwinMessage,
} from "./types.ts";
import { WebhookSender } from "./webhook-sender.ts";
import { World } from "./world.ts";

export interface ExecuteInput {
  token: string;
  method: string;
  params: Params;
  clientGone: AbortSignal;
  via: "http" | "webhook-reply";
}

export type ExecuteOutcome = { drop: true } | { drop: false; status: number; body: ApiResponse };

const SUPERSEDED_POLL_GRACE_MS = 25;
const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [50, 100, 200, 400, 800, 1000];

export class TwinCore implements TwinServices {
  readonly events = new TwinEvents();
  readonly world: World;
  readonly limiter = new SendRateLimiter();
  readonly faults = new FaultQueue();
  readonly calls: ApiCall[] = [];
  readonly callbackAnswers: CallbackAnswer[] = [];
  /** Bots by token, in the order they were added (the first is the default). */
  readonly bots = new Map<string, BotRecord>();
  readonly counters = { faultsInjected: 0, networkErrors: 0 };
  /** Work in progress that waitForIdle waits for (requests other than long polls, deliveries). */
  readonly busy = new Map<object, string>();
  private readonly webhooks = new Map<BotRecord, WebhookSender>();
  private fileCounter = 0;
  private callSeq = 0;
  stopped = false;

  constructor(
    readonly now: () => number,
    private readonly webhookRetryDelaysMs: readonly number[] = DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  ) {
    this.world = new World((kind, message: TwinMessage) =>
      this.events.emit("message", { kind, message }),
    );
  }

  addBot(spec: BotSpec): BotInfo {
    if (this.bots.has(spec.token)) throw new Error(`bot token ${spec.token} is already registered`);
    const id = spec.id ?? Number(spec.token.split(":")[0]);
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new Error(`cannot derive a bot id from token ${spec.token}`);
    const firstName = spec.firstName ?? spec.username;
    const user: User = { id, is_bot: true, first_name: firstName, username: spec.username };
    const info: BotInfo = {
      token: spec.token,
      id,
      username: spec.username,
      firstName,
      privacyMode: spec.privacyMode ?? true,
      user,
    };
    this.world.addUser(user);
    this.bots.set(
      spec.token,
      new BotRecord(
        info,
        (bot, update) => this.onUpdate(bot, update),
        () => this.events.emit("activity"),
      ),
    );
    return info;
  }

  get defaultBot(): BotRecord {
    const first = this.bots.values().next();
    if (first.done) throw new Error("the twin has no bot");
    return first.value;
  }

  /** A bot by token, username or id; the default bot when omitted. */
  bot(ref?: string | number): BotRecord {
    if (ref === undefined) return this.defaultBot;
    for (const bot of this.bots.values()) {
      if (bot.info.token === ref || bot.info.username === ref || bot.info.id === ref) return bot;
    }
    throw new Error(`unknown bot ${String(ref)}`);
  }

  botById(id: number): BotRecord | undefined {
    for (const bot of this.bots.values()) if (bot.info.id === id) return bot;
    return undefined;
  }

  recordCallbackAnswer(answer: CallbackAnswer): void {
    this.callbackAnswers.push(answer);
    this.events.emit("callbackAnswer", answer);
  }

  newFileId(kind: "photo" | "document"): { fileId: string; uniqueId: string } {
    this.fileCounter++;
    // Telegram's ids are opaque base64url strings; the prefix mimics their type marker
    const prefix = kind === "photo" ? "AgACAgIAAxkBAAI" : "BQACAgIAAxkBAAI";
    return {
      fileId: `${prefix}${this.fileCounter}${randomBytes(18).toString("base64url")}`,
      uniqueId: `AQAD${this.fileCounter}${randomBytes(6).toString("base64url")}`,
    };
  }

  webhookChanged(bot: BotRecord): void {
    if (!bot.webhook) {
      this.webhooks.get(bot)?.stop();
      this.webhooks.delete(bot);
      return;
    }
    let sender = this.webhooks.get(bot);
    if (!sender) {
      sender = new WebhookSender(
        {
          now: this.now,
          setBusy: (key, method) => this.setBusy(key, method),
          executeWebhookReply: (target, body) => this.executeWebhookReply(target, body),
        },
        bot,
        this.webhookRetryDelaysMs,
      );
      this.webhooks.set(bot, sender);
    }
    sender.kick();
  }

  setBusy(key: object, method: string | undefined): void {
    if (method === undefined) {
      if (!this.busy.delete(key)) return;
    } else {
      this.busy.set(key, method);
    }
    this.events.emit("activity");
  }

  private onUpdate(bot: BotRecord, update: Update): void {
    this.events.emit("update", { bot: bot.info.username, update });
    this.webhooks.get(bot)?.kick();
  }

  /** Runs one API call: token, method, queued faults, then the handler. */
  async execute(input: ExecuteInput): Promise<ExecuteOutcome> {
    const started = this.now();
    const bot = this.bots.get(input.token);
    const method = findMethod(input.method);
    const name = method?.name ?? input.method;
    const record = (status: number, body: ApiResponse | undefined): void =>
      this.recordCall({
        seq: ++this.callSeq,
        ...(bot ? { bot: bot.info.username } : {}),
        method: name,
        params: input.params.normalized(),
        files: [...input.params.files.values()].map((file) => ({
          field: file.name,
          fileName: file.fileName,
          size: file.data.length,
        })),
        time: started,
        durationMs: this.now() - started,
        status,
        ...(body ? { response: body } : {}),
        via: input.via,
      });
    const reply = (status: number, body: ApiResponse): ExecuteOutcome => {
      record(status, body);
      return { drop: false, status, body };
    };
    const fail = (error: ApiError): ExecuteOutcome => reply(error.errorCode, error.toJSON());

    if (!bot) return fail(UNAUTHORIZED());
    if (!method) return fail(METHOD_NOT_FOUND());

    const chatId = input.params.raw.chat_id;
    const drop = this.faults.takeDrop(name, chatId);
    if (drop) {
      this.counters.networkErrors++;
      record(0, undefined);
      // a hung connection ends when the client gives up on it (or the twin stops)
      if (drop.hang && input.via === "http") await untilAborted(input.clientGone);
      return { drop: true };
    }
    const fault = this.faults.takeReply(name, chatId);
    if (fault) {
      this.counters.faultsInjected++;
      return fail(fault);
    }

    const ctx: MethodContext = {
      bot,
      params: input.params,
      services: this,
      world: this.world,
      now: started,
      clientGone: input.clientGone,
    };
    try {
      // Synchronous handlers are not awaited, so the call is recorded in the same turn as the
      // change it made: a test woken by that change already sees the call.
      const outcome: unknown = method.handler(ctx);
      const result: unknown = outcome instanceof Promise ? await outcome : outcome;
      if (input.clientGone.aborted && input.via === "http") {
        record(0, undefined);
        return { drop: true };
      }
      if (result instanceof WithDescription) {
        return reply(200, { ok: true, result: result.result, description: result.description });
      }
      return reply(200, { ok: true, result });
    } catch (error) {
      if (error instanceof ApiError && error.errorCode === 409 && input.via === "http") {
        // A poll superseded by a newer one is often one its client just aborted (grammY's
        // bot.stop() does that); give the disconnect a moment to show before answering 409.
        await new Promise((resolve) => setTimeout(resolve, SUPERSEDED_POLL_GRACE_MS));
        if (input.clientGone.aborted) {
          record(0, undefined);
          return { drop: true };
        }
      }
      if (error instanceof ApiError) return fail(error);
      // A bug in the twin: answer like Telegram's 500 but keep the cause visible to the test.
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`telegram-twin: ${name} failed:`, message);
      return fail(
        new ApiError(
          500,
          `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  }

  private async executeWebhookReply(bot: BotRecord, body: Record<string, unknown>): Promise<void> {
    const { method, ...params } = body;
    if (typeof method !== "string" || !allowedAsWebhookReply(method)) return;
    const key = {};
    this.setBusy(key, method);
    try {
      await this.execute({
        token: bot.info.token,
        method,
        params: new Params(params),
        clientGone: new AbortController().signal,
        via: "webhook-reply",
      });
    } finally {
      this.setBusy(key, undefined);
    }
  }

  private recordCall(call: ApiCall): void {
    this.calls.push(call);
    this.events.emit("call", call);
  }

  /** Ends long polls and webhook deliveries (the server closes the sockets). */
  shutdown(): void {
    this.stopped = true;
    for (const bot of this.bots.values()) bot.endPoll([]);
    for (const sender of this.webhooks.values()) sender.stop();
    this.webhooks.clear();
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}
