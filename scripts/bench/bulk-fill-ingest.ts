// B5's loading path: the writes of ./raw-fill-ingest.ts (and so of TradeService.ingestFill) for a
// whole batch of fills at once. The per-fill path reads the order, the position and the cash
// balance back for every fill; here each is read once per batch, carried forward in memory by the
// very functions the per-fill path uses (orderAfter, positionAfter: the domain's applyFill with
// the same rounding), and written with multi-row statements:
//
//   - trades: INSERT ... ON CONFLICT DO NOTHING RETURNING, in fill order (so trade ids follow the
//     ingestion order); a fill whose trade was not inserted is a duplicate and, as in the
//     per-fill path, changes nothing else;
//   - orders: one UPDATE per order per batch with its last state (PostgreSQL: one UPDATE ... FROM
//     unnest(...) for the batch; SQLite: a prepared single-row UPDATE each, in process);
//   - positions: one multi-row upsert, one row per (portfolio, instrument, strategy) per batch;
//   - cash ledger and audit: INSERTs in the per-fill order (TRADE then FEE for each fill),
//     balanceAfter carried forward from the balance read once per portfolio and currency.
//
// On SQLite the INSERTs are multi-row VALUES, cut to stay under its 32,766 variables; on
// PostgreSQL trades, cash and audit rows go in as one INSERT ... SELECT FROM unnest(arrays) each
// (12 array parameters instead of 24,000 scalars; measured on the loaded machine at the default
// size: about 3,300 fills/s against 2,000 to 2,400 with multi-row VALUES), the positions' upsert
// as multi-row VALUES under its 65,535 parameters.
//
// Every value carried forward is the stored one (new Dec(toDb(x))), what the per-fill path reads
// back. test/scripts/bench/b5-load.test.ts compares this path with TradeService.ingestFill and
// with the per-fill path, row by row, on both databases.
//
// What differs, on purpose and outside what is compared: the bookkeeping "updatedAt" is one
// wall-clock time per batch, and on PostgreSQL position ids (a position's upsert draws a sequence
// value each time it runs: once per fill there, once per batch here).
import { randomUUID } from "node:crypto";
import type { Provider } from "../../src/db/client.ts";
import { type Decimal, Decimal as Dec, ZERO, toDb } from "../../src/lib/decimal.ts";
import {
  type BenchFill,
  type OrderRow,
  type PositionRow,
  auditDetails,
  note,
  orderAfter,
  positionAfter,
} from "./raw-fill-ingest.ts";
import {
  type Connection,
  type Query,
  insertRows,
  insertUnnest,
  selectIn,
  postgresConnection,
  sqliteConnection,
} from "./bulk-sql.ts";

export interface BulkIngester {
  /** the fills' writes in one transaction, as if ingested one by one in this order */
  ingestBatch(fills: BenchFill[]): Promise<void>;
  close(): Promise<void>;
}

interface PositionSlot {
  portfolioId: number;
  instrumentId: number;
  strategyId: number | null;
  strategyKey: number;
  row: PositionRow | undefined;
}

function bulkOn(conn: Connection): BulkIngester {
  const pg = conn.provider === "postgres";
  // DateTime as each database's Prisma adapter writes it (SQLite: ISO text with +00:00)
  const date = (d: Date) => (pg ? d.toISOString() : d.toISOString().replace("Z", "+00:00"));
  // NUMERIC read as text, so no digit goes through a float
  const dec = (column: string) => (pg ? `${column}::text AS ${column}` : column);

  async function ingest(q: Query, fills: BenchFill[]): Promise<void> {
    if (fills.length === 0) return;
    const portfolioIds = [...new Set(fills.map((f) => f.portfolioId))].sort((a, b) => a - b);
    // the portfolios and their accounts, locked (in id order) for the batch on PostgreSQL
    const portfolios = new Map(
      (
        await selectIn<{ id: number; accountId: number; isPaper: unknown }>(
          q,
          conn.maxParams,
          (list) =>
            `SELECT p.id AS id, p."accountId" AS "accountId", b."isPaper" AS "isPaper" ` +
            `FROM portfolios p JOIN accounts a ON a.id = p."accountId" ` +
            `JOIN brokers b ON b.id = a."brokerId" WHERE p.id IN (${list}) ORDER BY p.id` +
            (pg ? " FOR UPDATE OF p, a" : ""),
          portfolioIds,
        )
      ).map((p) => [Number(p.id), p]),
    );
    const orderIds = [...new Set(fills.map((f) => f.orderId))];
    const orders = new Map(
      (
        await selectIn<OrderRow & { id: number; portfolioId: number }>(
          q,
          conn.maxParams,
          (list) =>
            `SELECT id, "portfolioId", side, "instrumentId", "strategyId", ${dec("quantity")}, ` +
            `${dec('"filledQuantity"')}, ${dec('"avgFillPrice"')}, status FROM orders ` +
            `WHERE id IN (${list})`,
          orderIds,
        )
      ).map((o) => [Number(o.id), o]),
    );
    // what the per-fill path checks before it writes anything
    for (const fill of fills) {
      if (!portfolios.has(fill.portfolioId)) throw new Error(`no portfolio ${fill.portfolioId}`);
      const order = orders.get(fill.orderId);
      if (!order || Number(order.portfolioId) !== fill.portfolioId) {
        throw new Error(`no order ${fill.orderId}`);
      }
    }

    // the trades, in fill order; those not inserted are duplicates
    const tradeRows = fills.map((f) => [
      randomUUID(),
      f.portfolioId,
      f.instrumentId,
      orders.get(f.orderId)!.strategyId,
      f.orderId,
      f.side,
      toDb(f.quantity),
      toDb(f.price),
      toDb(f.fee),
      f.currency,
      date(f.execTime),
      f.brokerTradeId,
    ]);
    const tradeHead =
      `INSERT INTO trades (uid, "portfolioId", "instrumentId", "strategyId", "orderId", side, ` +
      `quantity, price, fee, "feeCurrency", "execTime", "brokerTradeId", meta)`;
    const tradeTail =
      ` ON CONFLICT ("portfolioId", "brokerTradeId") DO NOTHING ` +
      `RETURNING id, "portfolioId", "brokerTradeId"`;
    type Inserted = { id: number; portfolioId: number; brokerTradeId: string };
    const inserted = pg
      ? await insertUnnest<Inserted>(
          q,
          tradeHead,
          TRADE_TYPES,
          `c1, c2, c3, c4, c5, c6::"OrderSide", c7, c8, c9, c10, c11, c12, '{}'::jsonb`,
          tradeRows,
          tradeTail,
        )
      : await insertRows<Inserted>(
          q,
          conn.maxParams,
          tradeHead,
          `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}')`,
          tradeRows,
          tradeTail,
        );
    const tradeIds = new Map(
      inserted.map((t) => [`${Number(t.portfolioId)}:${t.brokerTradeId}`, Number(t.id)]),
    );

    // the positions of the batch's portfolios as stored before it
    const positions = new Map<string, PositionSlot>();
    for (const p of await selectIn<PositionRow & Omit<PositionSlot, "row" | "strategyId">>(
      q,
      conn.maxParams,
      (list) =>
        `SELECT "portfolioId", "instrumentId", "strategyKey", ${dec("quantity")}, ` +
        `${dec('"avgPrice"')}, ${dec('"realizedPnl"')}, ${dec("fees")}, "openedAt" ` +
        `FROM positions WHERE "portfolioId" IN (${list})`,
      portfolioIds,
    )) {
      const key = `${Number(p.portfolioId)}:${Number(p.instrumentId)}:${Number(p.strategyKey)}`;
      positions.set(key, {
        portfolioId: Number(p.portfolioId),
        instrumentId: Number(p.instrumentId),
        strategyId: null,
        strategyKey: Number(p.strategyKey),
        row: p,
      });
    }
    // the latest balance of each paper portfolio and currency of the batch
    const balances = new Map<string, Decimal>();
    const pairs = [
      ...new Map(
        fills
          .filter((f) => isPaper(portfolios.get(f.portfolioId)!.isPaper))
          .map((f) => [`${f.portfolioId}:${f.currency}`, [f.portfolioId, f.currency] as const]),
      ).values(),
    ];
    if (pg && pairs.length > 0) {
      // one statement, each pair served by the (portfolioId, currency, id) index
      const rows = await q<{ p: number; c: string; b: string | null }>(
        `SELECT k.p AS p, k.c AS c, (SELECT t."balanceAfter"::text FROM cash_transactions t ` +
          `WHERE t."portfolioId" = k.p AND t.currency = k.c ORDER BY t.id DESC LIMIT 1) AS b ` +
          `FROM unnest(?::int[], ?::text[]) AS k(p, c)`,
        [pairs.map((x) => x[0]), pairs.map((x) => x[1])],
      );
      for (const r of rows) balances.set(`${r.p}:${r.c}`, r.b === null ? ZERO : new Dec(r.b));
    } else {
      for (const [p, c] of pairs) {
        const [last] = await q<{ balanceAfter: string }>(
          `SELECT "balanceAfter" FROM cash_transactions WHERE "portfolioId" = ? AND currency = ? ` +
            `ORDER BY id DESC LIMIT 1`,
          [p, c],
        );
        balances.set(`${p}:${c}`, last ? new Dec(last.balanceAfter) : ZERO);
      }
    }

    // the fills in order, each seeing what the ones before it left
    const now = date(new Date());
    const touchedOrders = new Map<number, OrderRow>();
    const touchedPositions = new Map<string, PositionSlot>();
    const cash: unknown[][] = [];
    const audit: unknown[][] = [];
    const seen = new Set<string>();
    for (const fill of fills) {
      const order = orders.get(fill.orderId)!;
      const next = orderAfter(order, fill);
      const tradeKey = `${fill.portfolioId}:${fill.brokerTradeId}`;
      const tradeId = tradeIds.get(tradeKey);
      // a duplicate (stored before, or earlier in this batch): nothing else changes
      if (tradeId === undefined || seen.has(tradeKey)) continue;
      seen.add(tradeKey);
      order.filledQuantity = next.filled;
      order.avgFillPrice = next.avg;
      order.status = next.status;
      touchedOrders.set(fill.orderId, order);

      const strategyKey = order.strategyId ?? 0;
      const key = `${fill.portfolioId}:${fill.instrumentId}:${strategyKey}`;
      const slot = positions.get(key) ?? {
        portfolioId: fill.portfolioId,
        instrumentId: fill.instrumentId,
        strategyId: null,
        strategyKey,
        row: undefined,
      };
      const { effect, openedAt } = positionAfter(slot.row, fill);
      slot.strategyId = order.strategyId;
      slot.row = {
        quantity: toDb(effect.next.quantity),
        avgPrice: toDb(effect.next.avgPrice),
        realizedPnl: toDb(effect.next.realizedPnl),
        fees: toDb(effect.next.fees),
        openedAt,
      };
      positions.set(key, slot);
      touchedPositions.set(key, slot);

      const portfolio = portfolios.get(fill.portfolioId)!;
      if (isPaper(portfolio.isPaper)) {
        const pair = `${fill.portfolioId}:${fill.currency}`;
        const notional = fill.quantity.mul(fill.price);
        const amount = fill.side === "BUY" ? notional.neg() : notional;
        const afterTrade = new Dec(toDb(balances.get(pair)!.plus(amount)));
        const at = date(fill.execTime);
        const base = [portfolio.accountId, fill.portfolioId];
        cash.push([
          randomUUID(),
          ...base,
          "TRADE",
          fill.currency,
          toDb(amount),
          toDb(afterTrade),
          tradeId,
          note(fill),
          at,
        ]);
        let balance = afterTrade;
        if (fill.fee.gt(0)) {
          balance = new Dec(toDb(afterTrade.minus(fill.fee)));
          cash.push([
            randomUUID(),
            ...base,
            "FEE",
            fill.currency,
            toDb(fill.fee.neg()),
            toDb(balance),
            tradeId,
            null,
            at,
          ]);
        }
        balances.set(pair, balance);
      }
      audit.push([tradeId, auditDetails(fill, next.status, effect.realized), now]);
    }

    if (pg && touchedOrders.size > 0) {
      const rows = [...touchedOrders.entries()];
      await q(
        `UPDATE orders o SET "filledQuantity" = v.f, "avgFillPrice" = v.a, ` +
          `status = v.s::"OrderStatus", "updatedAt" = ? ` +
          `FROM unnest(?::int[], ?::numeric[], ?::numeric[], ?::text[]) AS v(id, f, a, s) ` +
          `WHERE o.id = v.id`,
        [
          now,
          rows.map(([id]) => id),
          rows.map(([, o]) => o.filledQuantity),
          rows.map(([, o]) => o.avgFillPrice),
          rows.map(([, o]) => o.status),
        ],
      );
    } else {
      for (const [id, o] of touchedOrders) {
        await q(
          `UPDATE orders SET "filledQuantity" = ?, "avgFillPrice" = ?, status = ?, ` +
            `"updatedAt" = ? WHERE id = ?`,
          [o.filledQuantity, o.avgFillPrice, o.status, now, id],
        );
      }
    }
    if (touchedPositions.size > 0) {
      await insertRows(
        q,
        conn.maxParams,
        `INSERT INTO positions (uid, "portfolioId", "instrumentId", "strategyId", "strategyKey", ` +
          `quantity, "avgPrice", "realizedPnl", fees, "openedAt", "updatedAt")`,
        `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [...touchedPositions.values()].map((s) => [
          randomUUID(),
          s.portfolioId,
          s.instrumentId,
          s.strategyId,
          s.strategyKey,
          s.row!.quantity,
          s.row!.avgPrice,
          s.row!.realizedPnl,
          s.row!.fees,
          s.row!.openedAt ? date(new Date(s.row!.openedAt)) : null,
          now,
        ]),
        ` ON CONFLICT ("portfolioId", "instrumentId", "strategyKey") DO UPDATE SET ` +
          `quantity = excluded.quantity, "avgPrice" = excluded."avgPrice", ` +
          `"realizedPnl" = excluded."realizedPnl", fees = excluded.fees, ` +
          `"openedAt" = excluded."openedAt", "updatedAt" = excluded."updatedAt"`,
      );
    }
    const cashHead =
      `INSERT INTO cash_transactions (uid, "accountId", "portfolioId", type, currency, amount, ` +
      `"balanceAfter", "tradeId", note, "createdAt")`;
    if (pg) {
      await insertUnnest(
        q,
        cashHead,
        CASH_TYPES,
        `c1, c2, c3, c4::"CashTxType", c5, c6, c7, c8, c9, c10`,
        cash,
      );
    } else if (cash.length > 0) {
      await insertRows(q, conn.maxParams, cashHead, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, cash);
    }
    const auditHead =
      `INSERT INTO audit_log ("actorId", "entityType", "entityId", action, details, ` +
      `"correlationId", "createdAt")`;
    if (pg) {
      await insertUnnest(
        q,
        auditHead,
        ["int", "text", "timestamp"],
        `NULL::int, 'TRADE', c1, 'FILL', c2::jsonb, NULL::text, c3`,
        audit,
      );
    } else if (audit.length > 0) {
      await insertRows(
        q,
        conn.maxParams,
        auditHead,
        `(NULL, 'TRADE', ?, 'FILL', ?, NULL, ?)`,
        audit,
      );
    }
  }

  return {
    ingestBatch: (fills) => conn.transaction((q) => ingest(q, fills)),
    close: () => conn.close(),
  };
}

// unnest's element types, column by column (enums go in as text and are cast in the SELECT)
const TRADE_TYPES = [
  ...["text", "int", "int", "int", "int", "text"], // uid, portfolio, instrument, strategy, order, side
  ...["numeric", "numeric", "numeric", "text", "timestamp", "text"], // quantity ... brokerTradeId
];
const CASH_TYPES = [
  ...["text", "int", "int", "text", "text"], // uid, account, portfolio, type, currency
  ...["numeric", "numeric", "int", "text", "timestamp"], // amount, balanceAfter, trade, note, at
];

const isPaper = (v: unknown) => v === true || v === 1;

/** The bulk path on the driver (better-sqlite3 or pg), one connection. */
export async function bulkIngester(
  provider: Provider,
  target: string,
  /** fewer parameters per statement than the database allows (the test's, to cut statements) */
  maxParams?: number,
): Promise<BulkIngester> {
  const conn = provider === "sqlite" ? sqliteConnection(target) : await postgresConnection(target);
  if (maxParams !== undefined) conn.maxParams = Math.min(conn.maxParams, maxParams);
  return bulkOn(conn);
}
