// A fingerprint of the whole database: row counts and a checksum of every row of every table, so
// a test can prove an attempt changed nothing at all (not just the rows it thought of).
import { createHash } from "node:crypto";
import type { Database } from "../../src/db/client.ts";

/** Every model of prisma/schema.prisma (a test checks the list stays complete). */
export const ALL_MODELS = [
  "user",
  "broker",
  "account",
  "accountCredential",
  "cashTransaction",
  "portfolio",
  "strategy",
  "strategyInstance",
  "strategySymbolState",
  "strategyRun",
  "instrument",
  "order",
  "trade",
  "position",
  "syncCursor",
  "paperOrder",
  "paperFill",
  "riskPolicy",
  "riskBreach",
  "alert",
  "schedule",
  "screener",
  "telegramChat",
  "chatLinkCode",
  "chatLinkFailure",
  "portfolioCheckpoint",
  "notificationOutbox",
  "auditLog",
  "dataMigration",
  "session",
] as const;

export interface TableFingerprint {
  rows: number;
  checksum: string;
}

type Delegate = { findMany(args?: unknown): Promise<Array<Record<string, unknown>>> };

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (typeof value === "bigint") return value.toString();
  if (value && typeof value === "object" && !Array.isArray(value)) {
    // decimal.js / Prisma.Decimal in plain notation (String() may say 1e-8), so a PostgreSQL
    // NUMERIC compares equal to the canonical TEXT decimal SQLite holds
    if (typeof (value as { toFixed?: unknown }).toFixed === "function") {
      return (value as { toFixed(): string }).toFixed();
    }
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  if (Array.isArray(value)) return value.map(canonical);
  return value;
}

export async function fingerprint(database: Database): Promise<Record<string, TableFingerprint>> {
  const out: Record<string, TableFingerprint> = {};
  for (const model of ALL_MODELS) {
    const delegate = (database.prisma as unknown as Record<string, Delegate>)[model]!;
    const rows = await delegate.findMany();
    const lines = rows.map((r) => JSON.stringify(canonical(r))).sort();
    out[model] = {
      rows: rows.length,
      checksum: createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16),
    };
  }
  return out;
}
