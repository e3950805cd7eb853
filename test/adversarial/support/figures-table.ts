// Reading and printing the figures recordFigures() (figures.ts) wrote; no vitest import, so the
// global teardown in the main vitest process can use it.
import fs from "node:fs";
import path from "node:path";

export interface Figures {
  /** what was attacked, e.g. "isolation: bare commands" or "telegram faults: outbox drain" */
  category: string;
  /** "sqlite", "postgres", or "-" when the check does not touch a database */
  db: string;
  /** how many attempts (cases, presses, kills…) the check made */
  attempts: number;
  /** attempts whose outcome broke an expectation (wrong answer, leak, changed rows…) */
  failures: number;
  /** unhandled errors, error-level log lines, or a process that died; omit if not measured */
  crashes?: number;
  /** items that should exist and do not (notifications, fills, orders…); omit if not measured */
  lost?: number;
  /** items that exist more often than once; omit if not measured */
  duplicated?: number;
  /**
   * Telegram messages sent a second time after a crash: the Bot API has no idempotency key, so a
   * message Telegram accepted just before a kill, whose delivery the dead process had not yet
   * recorded, goes again (at least once, by design; nothing else may ever be doubled); omit if
   * not measured
   */
  resent?: number;
  /** what an attempt is, when "attempts" alone would mislead ("cases", "presses") */
  unit?: string;
}

/**
 * Every figure recorded in `dir`, in a stable order; records of the same category, database and
 * unit (several tests of one check, e.g. it.each) are added up into one row.
 */
export function readFigures(dir: string): Figures[] {
  if (!fs.existsSync(dir)) return [];
  const merged = new Map<string, Figures>();
  for (const f of fs.readdirSync(dir).filter((name) => name.endsWith(".json"))) {
    const row = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Figures;
    const key = JSON.stringify([row.category, row.db, row.unit ?? ""]);
    const seen = merged.get(key);
    merged.set(key, seen ? add(seen, row) : row);
  }
  return [...merged.values()].sort(
    (a, b) => a.category.localeCompare(b.category) || a.db.localeCompare(b.db),
  );
}

function add(a: Figures, b: Figures): Figures {
  const plus = (x?: number, y?: number) =>
    x === undefined && y === undefined ? undefined : (x ?? 0) + (y ?? 0);
  const sum: Figures = {
    ...a,
    attempts: a.attempts + b.attempts,
    failures: a.failures + b.failures,
  };
  for (const k of ["crashes", "lost", "duplicated", "resent"] as const) {
    const v = plus(a[k], b[k]);
    if (v === undefined) delete sum[k];
    else sum[k] = v;
  }
  return sum;
}

const COLUMNS = [
  "category",
  "db",
  "attempts",
  "failures",
  "crashes",
  "lost",
  "duplicated",
  "resent",
] as const;

/** The figures as one plain-text table, with a total row ("-": not measured by that check). */
export function figuresTable(rows: Figures[]): string {
  const cell = (f: Figures, c: (typeof COLUMNS)[number]): string => {
    if (c === "category") return f.category;
    if (c === "db") return f.db;
    if (c === "attempts") return f.unit ? `${f.attempts} ${f.unit}` : String(f.attempts);
    const v = f[c];
    return v === undefined ? "-" : String(v);
  };
  const sum = (c: Exclude<(typeof COLUMNS)[number], "category" | "db">) =>
    String(rows.reduce((n, f) => n + (f[c] ?? 0), 0));
  const body = rows.map((f) => COLUMNS.map((c) => cell(f, c)));
  const total = [
    "total",
    "",
    sum("attempts"),
    sum("failures"),
    sum("crashes"),
    sum("lost"),
    sum("duplicated"),
    sum("resent"),
  ];
  const all = [[...COLUMNS], ...body, total];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(" | ");
  const rule = widths.map((w) => "-".repeat(w)).join("-|-");
  return [line(all[0]!), rule, ...body.map(line), rule, line(total)].join("\n");
}
