// CSV as RFC 4180 writes it: fields separated by commas, records by CRLF, a field quoted when it
// holds a comma, a quote, CR or LF, and a quote inside doubled. Small enough to keep here (no
// dependency), and it must also guard against CSV injection, which is ours to decide: a text cell
// that a spreadsheet would read as a formula (it starts with =, +, -, @, a tab or CR) gets a
// leading apostrophe, so it shows as the text it is. Numeric columns are never user text: their
// cells are written as they are when they are plain decimal numbers (a negative amount keeps its
// minus), and treated as text otherwise.

export interface CsvColumn {
  name: string;
  /** plain decimal numbers (exact strings such as "-0.5"); written as they are */
  numeric?: boolean;
}

/** A cell: text, or null for an empty field. */
export type CsvCell = string | null;

const NUMBER = /^-?\d+(\.\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvCell, numeric = false): string {
  if (value === null || value === "") return "";
  const text = numeric && NUMBER.test(value) ? value : neutralize(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A text cell a spreadsheet would run as a formula, made inert. */
export function neutralize(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvRecord(columns: readonly CsvColumn[], cells: readonly CsvCell[]): string {
  return columns.map((c, i) => csvField(cells[i] ?? null, c.numeric)).join(",") + "\r\n";
}

export function csvHeader(columns: readonly CsvColumn[]): string {
  return columns.map((c) => csvField(c.name)).join(",") + "\r\n";
}

/** A whole table as one string: the header row, then one record per row. */
export function toCsv(columns: readonly CsvColumn[], rows: Iterable<readonly CsvCell[]>): string {
  let out = csvHeader(columns);
  for (const row of rows) out += csvRecord(columns, row);
  return out;
}
