// Reads a Bot API request the way api.telegram.org accepts it: parameters in the query string
// and/or the body, the body being JSON, application/x-www-form-urlencoded or multipart/form-data
// (files). Values from forms are strings; objects such as reply_markup arrive JSON-encoded in
// them, and `Params` decodes them on access.
import type { IncomingMessage } from "node:http";
import { badRequest, ApiError } from "./api-error.ts";
import {
  multipartBoundary,
  parseMultipart,
  MultipartError,
  type MultipartFile,
} from "./multipart.ts";

/** Telegram's own upload limit for bots is 50 MB. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

export interface RequestInput {
  params: Record<string, unknown>;
  files: Map<string, MultipartFile>;
}

export async function readRequestInput(req: IncomingMessage, url: URL): Promise<RequestInput> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  const files = new Map<string, MultipartFile>();

  const body = await readBody(req);
  if (body.length === 0) return { params, files };

  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  if (contentType.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw badRequest("JSON object expected");
    }
    Object.assign(params, parsed);
  } else if (contentType.startsWith("multipart/form-data")) {
    const boundary = multipartBoundary(req.headers["content-type"] ?? "");
    if (!boundary) throw badRequest("can't find multipart boundary");
    try {
      const parsed = parseMultipart(body, boundary);
      for (const field of parsed.fields) params[field.name] = field.value;
      for (const file of parsed.files) files.set(file.name, file);
    } catch (error) {
      if (error instanceof MultipartError)
        throw badRequest(`can't parse multipart body: ${error.message}`);
      throw error;
    }
  } else {
    // application/x-www-form-urlencoded, and what curl sends without a content type
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params[key] = value;
  }
  return { params, files };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, "Request Entity Too Large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
