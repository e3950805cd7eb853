// What must hold in the database whatever users type: every materialized position equals a
// recompute from its trades, each (portfolio, currency) cash chain adds up row by row and never
// goes below zero, and every order's status agrees with its filled quantity and its trades.
import type { App } from "../../../src/app.ts";
import { ORDER_STATUSES } from "../../../src/domain/orders/order-status.ts";
import { type Decimal, ZERO, fromDb, toDb } from "../../../src/lib/decimal.ts";

export async function databaseViolations(app: App): Promise<string[]> {
  const db = app.database.prisma;
  const out: string[] = [];

  for (const { id } of await db.portfolio.findMany({ select: { id: true } })) {
    for (const m of await app.services.positions.verify(db, id)) {
      out.push(
        `position of portfolio ${id}, instrument ${m.instrumentId}: materialized ${JSON.stringify(m.materialized)} ≠ recomputed ${JSON.stringify(m.recomputed)}`,
      );
    }
  }

  const chains = new Map<string, Decimal>();
  const rows = await db.cashTransaction.findMany({
    orderBy: { id: "asc" },
    select: { id: true, portfolioId: true, currency: true, amount: true, balanceAfter: true },
  });
  for (const row of rows) {
    const key = `${row.portfolioId}/${row.currency}`;
    // appendCash stores each balance rounded to the storage scale: chain the same way
    const expected = fromDb(toDb((chains.get(key) ?? ZERO).plus(fromDb(row.amount))));
    const stored = fromDb(row.balanceAfter);
    if (!stored.eq(expected))
      out.push(
        `cash row ${row.id} (${key}): balanceAfter ${stored} ≠ previous + amount ${expected}`,
      );
    if (stored.isNegative()) out.push(`cash row ${row.id} (${key}): negative balance ${stored}`);
    chains.set(key, stored);
  }

  const orders = await db.order.findMany({
    select: {
      id: true,
      status: true,
      quantity: true,
      filledQuantity: true,
      trades: { select: { quantity: true } },
    },
  });
  for (const o of orders) {
    const qty = fromDb(o.quantity);
    const filled = fromDb(o.filledQuantity);
    const traded = o.trades.reduce((sum, t) => sum.plus(fromDb(t.quantity)), ZERO);
    const where = `order ${o.id} (${o.status}, quantity ${qty}, filled ${filled})`;
    if (!(ORDER_STATUSES as readonly string[]).includes(o.status))
      out.push(`${where}: unknown status`);
    if (!qty.isPositive()) out.push(`${where}: quantity not positive`);
    if (filled.isNegative() || filled.gt(qty)) out.push(`${where}: filled outside 0..quantity`);
    if (!traded.eq(filled)) out.push(`${where}: its trades add up to ${traded}`);
    const ok =
      o.status === "NEW" || o.status === "REJECTED"
        ? filled.isZero()
        : o.status === "PARTIALLY_FILLED"
          ? filled.isPositive() && filled.lt(qty)
          : o.status === "FILLED"
            ? filled.eq(qty)
            : filled.lt(qty); // CANCELED, EXPIRED: whatever filled before, never all of it
    if (!ok) out.push(`${where}: status does not match the filled quantity`);
  }
  return out;
}
