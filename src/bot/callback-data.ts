// Typed callback data: one codec per kind of button, declared next to its feature, instead of
// strings built by hand and taken apart by regular expressions. The wire format stays the one
// buttons already in users' chats carry — "<area>:<action>:<field>:<field>…" — so a codec can
// read every button sent before it existed.
//
// A press is untrusted input (anyone can send any callback data, see test/adversarial): unpack
// returns null for anything that is not exactly what pack makes, and ids must be positive safe
// integers. Handlers still re-authorize and re-validate against the database on every press.
import { MAX_CALLBACK_BYTES, OWNER_SEPARATOR } from "../lib/button-owner.ts";

/**
 * How a field is written and read: `id` a positive safe integer (a row id, a page number),
 * `index` a non-negative safe integer (a position in a list, an offset), `string` any non-empty
 * text without ":" (the separator) or "~" (the owner tag's), or a list of the allowed words.
 */
export type FieldKind = "id" | "index" | "string" | readonly string[];

type ValueOf<K extends FieldKind> = K extends "id" | "index"
  ? number
  : K extends readonly (infer W)[]
    ? W
    : string;

export type Values<F extends Record<string, FieldKind>> = { [N in keyof F]: ValueOf<F[N]> };

/** What reading a press needs: one codec, or several that share a question (see oneOf). */
export interface CallbackReader<V> {
  /** the values of a press, or null when the data is not this codec's (malformed, forged) */
  unpack(data: string | undefined): V | null;
}

export interface CallbackData<V> extends CallbackReader<V> {
  /** the data for a button; throws on a value the format cannot carry or over 64 bytes */
  pack(values: V): string;
  /** matches exactly the data this codec makes (for bot.callbackQuery and conversations) */
  readonly filter: RegExp;
}

type ReadOf<R> = R extends CallbackReader<infer V> ? V : never;

/** The buttons of one question with different shapes ("pick one" and "done"): the first that reads. */
export function oneOf<R extends CallbackReader<unknown>[]>(
  ...codecs: R
): CallbackReader<ReadOf<R[number]>> {
  return {
    unpack(data) {
      for (const codec of codecs) {
        const values = codec.unpack(data);
        if (values !== null) return values as ReadOf<R[number]>;
      }
      return null;
    },
  };
}

const ESCAPE = /[.*+?^${}()|[\]\\]/g;
const NUMBER = String.raw`\d{1,16}`;
const TEXT = `[^:${OWNER_SEPARATOR}]+`;

function fieldPattern(kind: FieldKind): string {
  if (kind === "id" || kind === "index") return NUMBER;
  if (kind === "string") return TEXT;
  return `(?:${kind.map((w) => w.replace(ESCAPE, "\\$&")).join("|")})`;
}

function readField(kind: FieldKind, text: string): string | number | null {
  if (kind === "id" || kind === "index") {
    if (!new RegExp(`^${NUMBER}$`).test(text)) return null;
    const n = Number(text);
    if (!Number.isSafeInteger(n)) return null;
    return kind === "id" ? (n > 0 ? n : null) : n;
  }
  if (kind === "string") return new RegExp(`^${TEXT}$`).test(text) ? text : null;
  return kind.includes(text) ? text : null;
}

function writeField(name: string, kind: FieldKind, value: unknown): string {
  const text = String(value);
  if (readField(kind, text) === null || (typeof value === "number") !== isNumeric(kind))
    throw new Error(`callback data field ${name} cannot carry ${JSON.stringify(value)}`);
  return text;
}

function isNumeric(kind: FieldKind): boolean {
  return kind === "id" || kind === "index";
}

/**
 * A codec for "<area>:<action>" followed by `fields` in the order they are declared. An empty
 * `fields` makes a fixed button ("bkp:now").
 */
export function callbackData<const F extends Record<string, FieldKind>>(
  area: string,
  action: string,
  fields: F,
): CallbackData<Values<F>> {
  const prefix = `${area}:${action}`;
  if (!new RegExp(`^${TEXT}$`).test(area) || !new RegExp(`^${TEXT}$`).test(action))
    throw new Error(`invalid callback data prefix: ${prefix}`);
  const entries = Object.entries(fields);
  const escaped = prefix.replace(ESCAPE, "\\$&");
  const filter = new RegExp(
    `^${escaped}${entries.map(([, kind]) => `:${fieldPattern(kind)}`).join("")}$`,
  );
  return {
    filter,
    pack(values) {
      const parts = entries.map(([name, kind]) =>
        writeField(name, kind, (values as Record<string, unknown>)[name]),
      );
      const data = [prefix, ...parts].join(":");
      if (Buffer.byteLength(data, "utf8") > MAX_CALLBACK_BYTES)
        throw new Error(`callback data over ${MAX_CALLBACK_BYTES} bytes: ${data}`);
      return data;
    },
    unpack(data) {
      if (data === undefined || !filter.test(data)) return null;
      const parts = data.slice(prefix.length + 1).split(":");
      const values: Record<string, string | number> = {};
      for (const [i, [name, kind]] of entries.entries()) {
        const value = readField(kind, parts[i] ?? "");
        if (value === null) return null;
        values[name] = value;
      }
      return values as Values<F>;
    },
  };
}

/** A codec that packs as another does and reads a subset of its presses (see narrowed). */
export type NarrowedCallbackData<V> = CallbackReader<V> & Pick<CallbackData<V>, "pack">;

/**
 * A codec that reads only the presses `accept` allows. For conversation steps whose buttons were
 * matched by a pattern narrower than the codec's field kinds (a symbol of capitals, digits and
 * dots where "string" takes any text): a press is read exactly as it was before the codec.
 * Buttons are packed as the codec packs them. Narrowing a narrowed codec narrows it further (a
 * question that reads only the answers it offered).
 */
export function narrowed<V>(
  codec: NarrowedCallbackData<V>,
  accept: (values: V) => boolean,
): NarrowedCallbackData<V> {
  return {
    pack: (values) => codec.pack(values),
    unpack(data) {
      const values = codec.unpack(data);
      return values !== null && accept(values) ? values : null;
    },
  };
}
