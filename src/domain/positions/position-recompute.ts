// The recompute audit's reading of a portfolio's trades: every position computed again from the
// trades alone, in the order the fills were applied, for verify() (position-service.ts) to hold
// against the materialized rows. Built for a million trades: raw SQL returning each batch as one
// text value, folded in fixed point (position-fixed.ts) rather than in decimal.js objects.
import type { DbOrTx, Provider } from "../../db/client.ts";
import { Decimal } from "../../lib/decimal.ts";
import type { PositionState } from "./position-math.ts";
import { FEE_VALUE_KEY, type FeeAssets, feeKind, positionFill } from "./fill-fee.ts";
import { FixedPositionFold } from "./position-fixed.ts";

export interface PositionKey {
  portfolioId: number;
  instrumentId: number;
  strategyId: number | null;
}

/** The strategy key column: a position without a strategy is keyed 0. */
export const strategyKeyOf = (strategyId: number | null) => strategyId ?? 0;
/** The key of a recomputed position in recomputePositions()'s map: "instrumentId:strategyKey". */
export const keyString = (instrumentId: number, strategyId: number | null) =>
  `${instrumentId}:${strategyKeyOf(strategyId)}`;

/** How many trades a recompute reads per round trip. */
const RECOMPUTE_BATCH = 20_000;

/**
 * One batch of trades as recompute() reads it: the database serializes the batch into a single
 * text value, one line per trade in id order,
 * "instrumentId:strategyKey side quantity price fee feeCurrency[ feeValue]" (the key as
 * keyString() writes it; decimals as stored, or NUMERIC cast to text; feeCurrency empty when
 * none; feeValue, a third-asset fee's quote value from the trade's meta, only when stored).
 *
 * Why not one row per trade: through Prisma every result row becomes an object of typed values;
 * at B4's million trades, reading row by row took ≈ 1.5× the time of reading these strings and
 * ≈ 80–130 MB more peak RSS. One string per batch is cut with indexOf/slice instead (foldBatch).
 * Both aggregates sort by id explicitly: without ORDER BY their order is not guaranteed.
 */
interface RecomputeBatch {
  /** the last trade id in the batch, the next batch's cursor; null when the batch is empty */
  last: number | bigint | null;
  count: number | bigint;
  body: string | null;
}

// instr() first: json_extract parses the whole meta, and only third-asset fees (BNB) have the key
const SQLITE_LINE =
  `"instrumentId" || ':' || COALESCE("strategyId", 0) || ' ' || side || ' ' || quantity || ' ' || ` +
  `price || ' ' || fee || ' ' || COALESCE("feeCurrency", '') || ` +
  `CASE WHEN instr(meta, '"${FEE_VALUE_KEY}"') > 0 ` +
  `THEN COALESCE(' ' || json_extract(meta, '$.${FEE_VALUE_KEY}'), '') ELSE '' END`;
const sqliteBatch = (from: string) =>
  `SELECT max(id) AS last, count(*) AS count, group_concat(line, char(10) ORDER BY id) AS body ` +
  `FROM (SELECT id, ${SQLITE_LINE} AS line FROM ${from} ` +
  `WHERE "portfolioId" = ? AND id > ? ORDER BY id LIMIT ?)`;

const POSTGRES_LINE =
  `"instrumentId"::text || ':' || COALESCE("strategyId", 0)::text || ' ' || side::text || ' ' || ` +
  `quantity::text || ' ' || price::text || ' ' || fee::text || ' ' || ` +
  `COALESCE("feeCurrency", '') || COALESCE(' ' || (meta->>'${FEE_VALUE_KEY}'), '')`;
const POSTGRES_BATCH =
  `SELECT max(id) AS last, count(*)::int AS count, string_agg(line, chr(10) ORDER BY id) AS body ` +
  `FROM (SELECT id, ${POSTGRES_LINE} AS line FROM trades ` +
  `WHERE "portfolioId" = $1 AND id > $2 ORDER BY id LIMIT $3) AS batch`;

/**
 * The batch queries: `first` for the first batch, `next` for the following ones.
 *
 * trades has no (portfolioId, id) index. On SQLite the planner answers "portfolioId = ? ORDER BY
 * id" through the (portfolioId, execTime) index and then sorts every trade of the portfolio, once
 * per batch: quadratic in the portfolio's size (≈ 3× slower at a million trades). So only the
 * first batch goes through the index (for a small portfolio it is the only one, and it must not
 * scan other portfolios' trades); once a batch comes back full the portfolio is large, and the
 * following batches walk the rowid (= id) range from the cursor with NOT INDEXED: no sort, each
 * row read once. PostgreSQL's planner already walks the primary key in order.
 */
const RECOMPUTE_SQL: Record<Provider, { first: string; next: string }> = {
  sqlite: { first: sqliteBatch("trades"), next: sqliteBatch("trades NOT INDEXED") },
  postgres: { first: POSTGRES_BATCH, next: POSTGRES_BATCH },
};

/** Folds one batch body (see RecomputeBatch) into the positions, by key. */
function foldBatch(
  body: string,
  folds: Map<string, FixedPositionFold>,
  assets: ReadonlyMap<number, FeeAssets>,
): void {
  for (let start = 0; start < body.length;) {
    let end = body.indexOf("\n", start);
    if (end < 0) end = body.length;
    const a = body.indexOf(" ", start);
    const b = body.indexOf(" ", a + 1);
    const c = body.indexOf(" ", b + 1);
    const d = body.indexOf(" ", c + 1);
    const e = body.indexOf(" ", d + 1);
    if (a < 0 || e < 0 || e >= end)
      throw new Error(`malformed trade line: ${body.slice(start, end)}`);
    const k = body.slice(start, a);
    const side = body.slice(a + 1, b);
    if (side !== "BUY" && side !== "SELL") throw new Error(`unknown trade side: ${side}`);
    let fold = folds.get(k);
    if (fold === undefined) folds.set(k, (fold = new FixedPositionFold()));
    const quantity = body.slice(b + 1, c);
    const price = body.slice(c + 1, d);
    const fee = body.slice(d + 1, e);
    const f = body.indexOf(" ", e + 1);
    const feeCurrency = body.slice(e + 1, f < 0 || f > end ? end : f);
    const instrument = assets.get(Number(k.slice(0, k.indexOf(":"))));
    if (!instrument) throw new Error(`trade of an unknown instrument: ${k}`);
    if (feeKind(feeCurrency, instrument) === "quote") {
      fold.applyStored(side, quantity, price, fee);
    } else {
      // the fee in the base asset or a third one (live venues): positionFill() decides, as at
      // ingestion
      const feeValue = f < 0 || f > end ? null : body.slice(f + 1, end);
      fold.apply(
        positionFill(
          {
            side,
            quantity: new Decimal(quantity),
            price: new Decimal(price),
            fee: new Decimal(fee),
            feeCurrency,
            feeValue: feeValue ? new Decimal(feeValue) : null,
          },
          instrument,
        ),
      );
    }
    start = end + 1;
  }
}

/**
 * Recomputes every position of a portfolio from its trades, in ingestion order (trade id, the
 * order the fills were applied in), streaming in keyset batches so memory stays flat.
 *
 * The result is exactly applyFill()'s (position-math.ts), digit for digit, but computed with the
 * fixed-point fold of position-fixed.ts: a large portfolio is an audit of a million fills, where
 * decimal.js objects (and Prisma's Decimal for PostgreSQL NUMERIC) cost most of the time. Trades
 * are read through raw SQL for the same reason: only the needed columns, decimals as the plain
 * text the fold parses (PostgreSQL NUMERIC is cast to text so it never becomes a Decimal
 * object), a whole batch as one text value (RecomputeBatch).
 */
export async function recomputePositions(
  db: DbOrTx,
  provider: Provider,
  portfolioId: number,
  /** trades per round trip; tests lower it to cross many batch boundaries */
  batchSize = RECOMPUTE_BATCH,
): Promise<Map<string, PositionState & PositionKey>> {
  const folds = new Map<string, FixedPositionFold>();
  const sql = RECOMPUTE_SQL[provider];
  // the fee rules need each instrument's quote and base asset (a few hundred rows at most)
  const assets = new Map(
    (await db.instrument.findMany({ select: { id: true, currency: true, baseAsset: true } })).map(
      (i) => [i.id, i],
    ),
  );
  const read = (cursor: number): Promise<RecomputeBatch[]> =>
    // then() starts the query: Prisma's promises are lazy until someone subscribes
    db
      .$queryRawUnsafe<RecomputeBatch[]>(
        cursor === 0 ? sql.first : sql.next,
        portfolioId,
        cursor,
        batchSize,
      )
      .then((rows) => rows);
  let pending = read(0);
  for (;;) {
    const [batch] = await pending;
    const count = Number(batch?.count ?? 0);
    const full = count >= batchSize;
    if (full) {
      // Ask for the next batch before folding this one, and let the request reach the database
      // (it passes a few awaits inside Prisma first): on PostgreSQL the server then runs the
      // query while this process folds, instead of each waiting for the other.
      pending = read(Number(batch!.last));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    try {
      if (count > 0) foldBatch(batch!.body!, folds, assets);
    } catch (e) {
      if (full) await pending.catch(() => undefined); // leave no query unobserved
      throw e;
    }
    if (!full) break;
  }
  const states = new Map<string, PositionState & PositionKey>();
  for (const [k, fold] of folds) {
    // k is "instrumentId:strategyKey" (keyString's form, built in SQL); strategy key 0 = none
    const [instrumentId, strategyKey] = k.split(":").map(Number) as [number, number];
    states.set(k, {
      ...fold.result(),
      portfolioId,
      instrumentId,
      strategyId: strategyKey === 0 ? null : strategyKey,
    });
  }
  return states;
}
