// A small multipart/form-data parser (RFC 7578) for the bodies grammY and other Bot API clients
// send when they upload files. The whole body is buffered first (the twin caps its size), which
// keeps the parser simple and exact: parts are located by searching for the boundary delimiter.
//
// grammY writes headers without a space after the colon and leaves `filename` unquoted
// (`content-disposition:form-data;name="x";filename=photo.jpg`), so the header parser accepts
// both quoted and bare parameter values.

export interface MultipartField {
  name: string;
  value: string;
}

export interface MultipartFile {
  /** The form field name (grammY uses a random id referenced as `attach://<id>`). */
  name: string;
  fileName: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: MultipartField[];
  files: MultipartFile[];
}

export class MultipartError extends Error {}

/** Extracts the boundary from a `multipart/form-data; boundary=...` content type. */
export function multipartBoundary(contentType: string): string | undefined {
  const params = parseHeaderParams(contentType);
  const boundary = params.get("boundary");
  return boundary && boundary.length <= 200 ? boundary : undefined;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const delimiter = Buffer.from(`--${boundary}`, "latin1");
  const fields: MultipartField[] = [];
  const files: MultipartFile[] = [];

  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MultipartError("multipart boundary not found");

  for (;;) {
    pos += delimiter.length;
    // "--" right after a delimiter closes the body; anything after it is an epilogue.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    // Tolerate transport padding (spaces/tabs) before the line break, as the RFC allows.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    else throw new MultipartError("malformed multipart delimiter line");

    const headerEnd = body.indexOf("\r\n\r\n", pos, "latin1");
    if (headerEnd < 0) throw new MultipartError("multipart part without header terminator");
    const headers = parsePartHeaders(body.subarray(pos, headerEnd).toString("utf8"));
    const contentStart = headerEnd + 4;

    const next = body.indexOf(
      Buffer.concat([Buffer.from("\r\n", "latin1"), delimiter]),
      contentStart,
    );
    if (next < 0) throw new MultipartError("unterminated multipart part");
    const content = body.subarray(contentStart, next);

    const disposition = headers.get("content-disposition");
    if (!disposition) throw new MultipartError("multipart part without content-disposition");
    const params = parseHeaderParams(disposition);
    const name = params.get("name");
    if (name === undefined) throw new MultipartError("multipart part without a name");
    const fileName = params.get("filename*") ?? params.get("filename");
    if (fileName !== undefined) {
      files.push({
        name,
        fileName: decodeExtendedValue(fileName),
        contentType: headers.get("content-type") ?? "application/octet-stream",
        // copy: the caller keeps the bytes after the request buffer is released
        data: Buffer.from(content),
      });
    } else {
      fields.push({ name, value: content.toString("utf8") });
    }
    pos = next + 2; // skip the CRLF that belongs to the delimiter
  }
  return { fields, files };
}

function parsePartHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * Parses `value; key=val; key2="quoted;val"` into lower-cased keys. The first segment (the
 * header's main value) is stored under the empty key.
 */
export function parseHeaderParams(header: string): Map<string, string> {
  const result = new Map<string, string>();
  let i = 0;
  let first = true;
  while (i <= header.length) {
    while (header[i] === " " || header[i] === "\t") i++;
    let key = "";
    while (i < header.length && header[i] !== "=" && header[i] !== ";") key += header[i++];
    key = key.trim().toLowerCase();
    let value = "";
    if (header[i] === "=") {
      i++;
      while (header[i] === " " || header[i] === "\t") i++;
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === "\\" && i + 1 < header.length) i++;
          value += header[i++];
        }
        i++; // closing quote
        while (i < header.length && header[i] !== ";") i++;
      } else {
        while (i < header.length && header[i] !== ";") value += header[i++];
        value = value.trim();
      }
      result.set(key, value);
    } else if (first && key) {
      result.set("", key);
    }
    first = false;
    i++; // skip ';'
  }
  return result;
}

/** RFC 5987 `utf-8''name%20with%20spaces` values (filename*=...). Plain values pass through. */
function decodeExtendedValue(value: string): string {
  const match = /^([\w-]+)'[\w-]*'(.*)$/.exec(value);
  if (!match) return value;
  try {
    return decodeURIComponent(match[2] ?? "");
  } catch {
    return value;
  }
}
