// An error reply of the Bot API. Thrown by method handlers and turned into
// `{"ok":false,"error_code":N,"description":"...","parameters":{...}}` by the server, with the
// HTTP status equal to error_code, exactly as api.telegram.org answers.
import type { ResponseParameters } from "grammy/types";

export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = "ApiError";
  }

  toJSON(): ApiErrorBody {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export interface ApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

/** 400 with Telegram's "Bad Request: " prefix. */
export function badRequest(detail: string): ApiError {
  return new ApiError(400, `Bad Request: ${detail}`);
}

/** 403 with Telegram's "Forbidden: " prefix. */
export function forbidden(detail: string): ApiError {
  return new ApiError(403, `Forbidden: ${detail}`);
}

/** 429 as Telegram words it: the description repeats the delay given in parameters.retry_after. */
export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
    retry_after: retryAfterSeconds,
  });
}

/** 409 for competing getUpdates consumers and getUpdates during an active webhook. */
export function conflict(detail: string): ApiError {
  return new ApiError(409, `Conflict: ${detail}`);
}

export const UNAUTHORIZED = (): ApiError => new ApiError(401, "Unauthorized");
export const METHOD_NOT_FOUND = (): ApiError => new ApiError(404, "Not Found");

/** Telegram's wording for the common failures the twin reproduces, kept in one place. */
export const Descriptions = {
  chatNotFound: "Bad Request: chat not found",
  textEmpty: "Bad Request: message text is empty",
  textMustBeNonEmpty: "Bad Request: text must be non-empty",
  rawTextTooLong: "Bad Request: text is too long",
  messageTooLong: "Bad Request: message is too long",
  captionTooLong: "Bad Request: message caption is too long",
  buttonDataInvalid: "Bad Request: BUTTON_DATA_INVALID",
  notModified:
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
  messageToEditNotFound: "Bad Request: message to edit not found",
  messageToDeleteNotFound: "Bad Request: message to delete not found",
  messageCantBeEdited: "Bad Request: message can't be edited",
  messageCantBeDeleted: "Bad Request: message can't be deleted",
  noTextToEdit: "Bad Request: there is no text in the message to edit",
  noCaptionToEdit: "Bad Request: there is no caption in the message to edit",
  callbackQueryInvalid:
    "Bad Request: query is too old and response timeout expired or query ID is invalid",
  callbackTextTooLong: "Bad Request: MESSAGE_TOO_LONG",
  blockedByUser: "Forbidden: bot was blocked by the user",
  cantInitiate: "Forbidden: bot can't initiate conversation with a user",
  cantSendToBots: "Forbidden: bot can't send messages to bots",
  internalServerError: "Internal Server Error",
  badGateway: "Bad Gateway",
  defaultParseError:
    'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 0',
  conflictOtherGetUpdates:
    "terminated by other getUpdates request; make sure that only one bot instance is running",
  conflictWebhookActive:
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  conflictSetWebhook: "terminated by setWebhook request",
} as const;
