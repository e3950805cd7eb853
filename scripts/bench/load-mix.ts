// B5's command mix: every simulated user runs the commands traders run, one after another with no
// think time, all users at once, for a fixed time — through the same domain calls the bot's
// handlers make for each command (src/bot/features: positions.ts, orders.ts, portfolios.ts),
// without Telegram's formatting and transport. Per command: calls, p50/p99 latency and errors.
import type { Services } from "../../src/domain/services.ts";
import type { LoadedPortfolio } from "./load-workload.ts";
import { seededRandom } from "./support.ts";

interface MixCommand {
  name: string;
  /** relative frequency in the mix */
  weight: number;
  run(services: Services, owner: LoadedPortfolio): Promise<unknown>;
}

export const MIX: MixCommand[] = [
  {
    name: "/positions",
    weight: 25,
    run: async (s, o) => s.pnl.valuationOf(await s.portfolios.getPortfolio(o.actor, o.portfolioId)),
  },
  {
    // the bot answers /pnl with the period's PnL and the performance next to it
    name: "/pnl month",
    weight: 20,
    run: (s, o) =>
      Promise.all([
        s.pnl.periodReport(o.actor, o.portfolioId, "month"),
        s.reports.performance(o.actor, o.portfolioId, "month"),
      ]),
  },
  {
    name: "/orders",
    weight: 20,
    run: (s, o) => s.orders.list(o.actor, o.portfolioId, "open", 1, 10),
  },
  { name: "/balance", weight: 20, run: (s, o) => s.cash.balances(o.actor) },
  {
    name: "/report",
    weight: 15,
    run: (s, o) => s.reports.portfolioSummary(o.actor, o.portfolioId, { period: "month" }),
  },
];

export interface MixFigures {
  command: string;
  calls: number;
  errors: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;

/**
 * Runs the mix: one loop per user (its portfolios taken in turn), all loops concurrently, until
 * `seconds` have passed. The first error of each command is kept for the report.
 */
export async function runMix(
  services: Services,
  owners: LoadedPortfolio[],
  seconds: number,
): Promise<{ figures: MixFigures[]; firstErrors: string[]; users: number }> {
  const byUser = new Map<number, LoadedPortfolio[]>();
  for (const o of owners) byUser.set(o.actor.id, [...(byUser.get(o.actor.id) ?? []), o]);
  const times = new Map<string, number[]>(MIX.map((c) => [c.name, []]));
  const errors = new Map<string, number>(MIX.map((c) => [c.name, 0]));
  const firstErrors: string[] = [];
  const total = MIX.reduce((sum, c) => sum + c.weight, 0);
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    [...byUser.values()].map(async (portfolios, u) => {
      const random = seededRandom(7000 + u);
      for (let n = 0; Date.now() < deadline; n++) {
        let pick = random() * total;
        const command = MIX.find((c) => (pick -= c.weight) < 0) ?? MIX[MIX.length - 1]!;
        const owner = portfolios[n % portfolios.length]!;
        const started = process.hrtime.bigint();
        try {
          await command.run(services, owner);
          times.get(command.name)!.push(Number(process.hrtime.bigint() - started) / 1e6);
        } catch (err) {
          errors.set(command.name, errors.get(command.name)! + 1);
          if (firstErrors.length < 5) firstErrors.push(`${command.name}: ${String(err)}`);
        }
      }
    }),
  );
  const figures = MIX.map((c) => {
    const sorted = times.get(c.name)!.sort((a, b) => a - b);
    return {
      command: c.name,
      calls: sorted.length,
      errors: errors.get(c.name)!,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    };
  });
  return { figures, firstErrors, users: byUser.size };
}
