// Reading orders: one by id (the owner's, or any for the system), by client order id, and the
// pages of a portfolio's orders by filter. OrderService (order-service.ts) adds placing and
// status changes on top; every read is within the acting user's own portfolios.
import type { OrderStatus } from "../../db/generated/sqlite/enums.ts";
import type { Prisma } from "../../db/generated/sqlite/client.ts";
import type { DomainContext } from "../context.ts";
import { NotFoundError } from "../errors.ts";
import type { InstrumentService } from "../instruments/instrument-service.ts";
import type { PortfolioService } from "../portfolios/portfolio-service.ts";
import { type Actor, type AnyActor, assertApproved, isSystem } from "../users/actor.ts";
import { orderInclude, toOrderView, withInstruments } from "./order-mapper.ts";
import { OPEN_STATUSES } from "./order-status.ts";
import type { OrderView } from "./order-types.ts";

export type OrderFilter = "open" | "filled" | "canceled" | "all";

const FILTER_STATUSES: Record<OrderFilter, OrderStatus[] | null> = {
  open: [...OPEN_STATUSES],
  filled: ["FILLED", "PARTIALLY_FILLED"],
  canceled: ["CANCELED", "EXPIRED", "REJECTED"],
  all: null,
};

interface OrderPage {
  orders: OrderView[];
  total: number;
  page: number;
  pageSize: number;
}

export class OrderQueries {
  constructor(
    protected readonly ctx: DomainContext,
    protected readonly portfolios: PortfolioService,
    /** the instrument catalog (cached): names an order read by id without a second statement */
    private readonly catalog: Pick<InstrumentService, "get">,
  ) {}

  async get(actor: AnyActor, orderId: number): Promise<OrderView> {
    if (!isSystem(actor)) assertApproved(actor);
    const where = {
      id: orderId,
      ...(isSystem(actor) ? {} : { portfolio: { userId: actor.id } }),
    };
    // placing an order reads it back twice (after the broker's report, then for the caller): its
    // instrument's symbol and currency from the catalog, as the positions take theirs, rather
    // than the include's second statement each time
    const row = await this.ctx.db.order.findFirst({ where });
    if (!row) throw new NotFoundError("order", orderId, "error-unknown-order");
    const listed = await this.catalog
      .get(row.instrumentId)
      .catch((e: unknown) => (e instanceof NotFoundError ? null : Promise.reject(e)));
    if (listed) {
      return toOrderView({
        ...row,
        instrument: { symbol: listed.symbol, currency: listed.currency },
      });
    }
    // an instrument no longer listed (inactive) still names its orders
    const [named] = await withInstruments(this.ctx.db, [row]);
    return toOrderView(named!);
  }

  async findByClientOrderId(clientOrderId: string): Promise<OrderView | null> {
    const row = await this.ctx.db.order.findUnique({
      where: { clientOrderId },
      include: orderInclude,
    });
    return row ? toOrderView(row) : null;
  }

  async listOpen(actor: Actor, portfolioId: number): Promise<OrderView[]> {
    return (await this.list(actor, portfolioId, "open", 1, 500)).orders;
  }

  async list(
    actor: Actor,
    portfolioId: number,
    filter: OrderFilter,
    page = 1,
    pageSize = 10,
  ): Promise<OrderPage> {
    assertApproved(actor);
    await this.portfolios.getPortfolio(actor, portfolioId);
    const statuses = FILTER_STATUSES[filter];
    const where: Prisma.OrderWhereInput = {
      portfolioId,
      ...(statuses ? { status: { in: statuses } } : {}),
      ...(filter === "filled" ? { NOT: { filledQuantity: "0" } } : {}),
    };
    const size = Math.max(1, Math.min(100, Math.floor(pageSize)));
    const [total, rows] = await Promise.all([
      this.ctx.db.order.count({ where }),
      this.ctx.db.order.findMany({
        where,
        include: orderInclude,
        orderBy: [{ placedAt: "desc" }, { id: "desc" }],
        skip: (Math.max(1, Math.floor(page)) - 1) * size,
        take: size,
      }),
    ]);
    return {
      orders: rows.map(toOrderView),
      total,
      page: Math.max(1, Math.floor(page)),
      pageSize: size,
    };
  }
}
