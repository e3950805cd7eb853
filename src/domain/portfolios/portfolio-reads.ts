// Reading portfolios: the user's list, one by id or by name, the one a command acts on (named,
// else active, else default) and the one a report reads (archived ones too). PortfolioService
// (portfolio-service.ts) adds the changes on top. Every call takes the acting user and only ever
// sees that user's rows; another user's id looks exactly like a missing one.
import type { Prisma } from "../../db/client.ts";
import { ReadCache } from "../../db/read-cache.ts";
import { NotFoundError, StateError } from "../errors.ts";
import { type Actor, assertAdmin, assertApproved } from "../users/actor.ts";
import { AccountService } from "./account-service.ts";
import { LIVE, type PortfolioView, portfolioInclude, toPortfolioView } from "./portfolio-rows.ts";

type PortfolioRow = Prisma.PortfolioGetPayload<{ include: typeof portfolioInclude }>;

export class PortfolioReads extends AccountService {
  /**
   * The rows resolvePortfolio() chooses from (the active portfolio, the default), per user and
   * active portfolio: every command that acts on a portfolio starts there. Kept until a write to
   * their tables (DomainContext.writes).
   */
  private readonly chosenRows = new ReadCache<PortfolioRow[]>(this.ctx.writes ?? null, [
    "portfolios",
    "accounts",
    "brokers",
  ]);

  async listPortfolios(actor: Actor): Promise<PortfolioView[]> {
    assertApproved(actor);
    const [rows, active] = await Promise.all([
      this.ctx.db.portfolio.findMany({
        where: { userId: actor.id, ...LIVE },
        include: portfolioInclude,
        orderBy: { id: "asc" },
      }),
      this.activePortfolioId(actor),
    ]);
    return rows.map((r) => toPortfolioView(r, active));
  }

  /** Any of the user's portfolios, archived ones included (their history stays readable). */
  async getPortfolio(actor: Actor, portfolioId: number): Promise<PortfolioView> {
    assertApproved(actor);
    // the row (three statements: the portfolio, its account, the broker) and the active id (two)
    // side by side: on PostgreSQL's pool they overlap, three round trips instead of five
    const [row, active] = await Promise.all([
      this.ctx.db.portfolio.findFirst({
        where: { id: portfolioId, userId: actor.id },
        include: portfolioInclude,
      }),
      this.activePortfolioId(actor),
    ]);
    if (!row) throw new NotFoundError("portfolio", portfolioId);
    return toPortfolioView(row, active);
  }

  /** One of the user's portfolios that may still change: StateError when it is archived. */
  async getLivePortfolio(actor: Actor, portfolioId: number): Promise<PortfolioView> {
    const portfolio = await this.getPortfolio(actor, portfolioId);
    if (portfolio.archivedAt) {
      throw new StateError("error-portfolio-archived", { name: portfolio.name });
    }
    return portfolio;
  }

  /**
   * getLivePortfolio() of several (owner, portfolio) pairs in a handful of statements, where one
   * call per pair took five (the strategy runtime reads every running instance's portfolio at each
   * cycle). Per pair `${actor.id}:${portfolioId}`: the view getLivePortfolio gives, or the error
   * it throws (not approved, not the owner's or gone, archived).
   */
  async getLivePortfolios(
    pairs: ReadonlyArray<{ actor: Actor; portfolioId: number }>,
  ): Promise<Map<string, PortfolioView | Error>> {
    const out = new Map<string, PortfolioView | Error>();
    const wanted = new Map<string, { actor: Actor; portfolioId: number }>();
    for (const pair of pairs) {
      const key = `${pair.actor.id}:${pair.portfolioId}`;
      try {
        assertApproved(pair.actor);
        wanted.set(key, pair);
      } catch (e) {
        out.set(key, e as Error);
      }
    }
    if (!wanted.size) return out;
    const owners = [...new Set([...wanted.values()].map((p) => p.actor.id))];
    const [rows, active] = await Promise.all([
      this.ctx.db.portfolio.findMany({
        where: { OR: [...wanted.values()].map((p) => ({ id: p.portfolioId, userId: p.actor.id })) },
        include: portfolioInclude,
      }),
      this.activePortfolioIds(owners),
    ]);
    for (const [key, { actor, portfolioId }] of wanted) {
      const row = rows.find((r) => r.id === portfolioId && r.userId === actor.id);
      if (!row) {
        out.set(key, new NotFoundError("portfolio", portfolioId));
        continue;
      }
      const view = toPortfolioView(row, active.get(actor.id) ?? null);
      out.set(
        key,
        view.archivedAt ? new StateError("error-portfolio-archived", { name: view.name }) : view,
      );
    }
    return out;
  }

  /**
   * getLivePortfolio() of a portfolio the caller read (owner checked) earlier in the same unit of
   * work (the strategy runtime: once per cycle), in one statement: the row is read again with the
   * owner in the filter, and only what can change after it was read — name, description, default,
   * archived, entries paused — is taken from it. The account's figures the view carries (its id,
   * broker, currency) never change for a portfolio; its name and isActive stay as the caller read
   * them (the order path does not use them).
   */
  async refreshLive(actor: Actor, known: PortfolioView): Promise<PortfolioView> {
    assertApproved(actor);
    const row = await this.ctx.db.portfolio.findFirst({
      where: { id: known.id, userId: actor.id },
      select: {
        name: true,
        description: true,
        defaultForUserId: true,
        archivedAt: true,
        entriesPausedAt: true,
      },
    });
    if (!row) throw new NotFoundError("portfolio", known.id);
    if (row.archivedAt) throw new StateError("error-portfolio-archived", { name: row.name });
    return {
      ...known,
      name: row.name,
      description: row.description,
      isDefault: row.defaultForUserId !== null,
      archivedAt: row.archivedAt,
      entriesPausedAt: row.entriesPausedAt,
    };
  }

  async findPortfolioByName(actor: Actor, name: string): Promise<PortfolioView> {
    assertApproved(actor);
    const wanted = name.trim();
    const rows = await this.ctx.db.portfolio.findMany({
      where: { userId: actor.id, ...LIVE },
      include: portfolioInclude,
    });
    // names are compared case-insensitively the same way on SQLite and PostgreSQL
    const row = rows.find((r) => r.name.toLowerCase() === wanted.toLowerCase());
    if (!row) throw new NotFoundError("portfolio", wanted, "error-unknown-portfolio");
    return toPortfolioView(row, await this.activePortfolioId(actor));
  }

  /**
   * The portfolio a report or an export reads: like resolvePortfolio, and when no live portfolio
   * has the name, the most recently archived one that had it (its history stays readable).
   */
  async resolveForReading(actor: Actor, name?: string | null): Promise<PortfolioView> {
    try {
      return await this.resolvePortfolio(actor, name);
    } catch (e) {
      if (!(e instanceof NotFoundError) || e.key !== "error-unknown-portfolio") throw e;
      const wanted = name!.trim().toLowerCase();
      const archived = await this.ctx.db.portfolio.findMany({
        where: { userId: actor.id, archivedAt: { not: null } },
        include: portfolioInclude,
        orderBy: [{ archivedAt: "desc" }, { id: "desc" }],
      });
      const row = archived.find((r) => r.name.toLowerCase() === wanted);
      if (!row) throw e;
      return toPortfolioView(row, await this.activePortfolioId(actor));
    }
  }

  /**
   * The portfolio a trading command acts on: the one named, else the active one, else the
   * default. Throws a NotFoundError with a hint to create one when the user has none.
   *
   * `known`: the user's row as the caller read it in the same unit of work (the bot: the row
   * loaded at the start of this update), which already holds the chosen portfolio's id, so it is
   * not read again. Pass it only when nothing since could have switched the active portfolio.
   */
  async resolvePortfolio(
    actor: Actor,
    name?: string | null,
    known?: { id: number; activePortfolioId: number | null },
  ): Promise<PortfolioView> {
    if (name?.trim()) return this.findPortfolioByName(actor, name);
    assertApproved(actor);
    // activePortfolioId() then getPortfolio(), in two reads at most (every command without a
    // name resolves its portfolio here): the chosen one if it is still live, else the default
    const user =
      known?.id === actor.id
        ? known
        : await this.ctx.db.user.findUnique({
            where: { id: actor.id },
            select: { activePortfolioId: true },
          });
    const chosen = user?.activePortfolioId ?? null;
    const rows = await this.chosenRows.get(`${actor.id}:${chosen}`, () =>
      this.ctx.db.portfolio.findMany({
        where: {
          userId: actor.id,
          OR: [{ defaultForUserId: actor.id }, ...(chosen ? [{ id: chosen, ...LIVE }] : [])],
        },
        include: portfolioInclude,
      }),
    );
    const row =
      rows.find((r) => r.id === chosen) ?? rows.find((r) => r.defaultForUserId === actor.id);
    if (!row) throw new NotFoundError("portfolio", "-", "error-no-portfolio");
    return toPortfolioView(row, row.id);
  }

  /** Active portfolio id: the one chosen with the switcher if it still exists, else the default. */
  async activePortfolioId(actor: Actor): Promise<number | null> {
    const user = await this.ctx.db.user.findUnique({
      where: { id: actor.id },
      select: { activePortfolioId: true, defaultPortfolio: { select: { id: true } } },
    });
    if (user?.activePortfolioId) {
      const exists = await this.ctx.db.portfolio.count({
        where: { id: user.activePortfolioId, userId: actor.id, ...LIVE },
      });
      if (exists) return user.activePortfolioId;
    }
    return user?.defaultPortfolio?.id ?? null;
  }

  /** activePortfolioId() of several users: three statements at most, whatever their number. */
  private async activePortfolioIds(
    userIds: readonly number[],
  ): Promise<Map<number, number | null>> {
    const users = await this.ctx.db.user.findMany({
      where: { id: { in: [...userIds] } },
      select: { id: true, activePortfolioId: true, defaultPortfolio: { select: { id: true } } },
    });
    const chosen = users.flatMap((u) => (u.activePortfolioId ? [u.activePortfolioId] : []));
    const live = chosen.length
      ? await this.ctx.db.portfolio.findMany({
          where: { id: { in: chosen }, ...LIVE },
          select: { id: true, userId: true },
        })
      : [];
    const out = new Map<number, number | null>();
    for (const u of users) {
      const own = live.some((p) => p.id === u.activePortfolioId && p.userId === u.id);
      out.set(u.id, own ? u.activePortfolioId : (u.defaultPortfolio?.id ?? null));
    }
    return out;
  }

  // ───────────── admin ─────────────

  /** Admins may look at another user's portfolios (read-only), e.g. to help them. */
  async adminListPortfolios(admin: Actor, userId: number): Promise<PortfolioView[]> {
    assertAdmin(admin);
    const rows = await this.ctx.db.portfolio.findMany({
      where: { userId },
      include: portfolioInclude,
      orderBy: { id: "asc" },
    });
    return rows.map((r) => toPortfolioView(r, null));
  }
}
