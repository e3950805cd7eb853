// The columns of a trade that replaying it into a position needs (positions/fill-fee.ts
// positionFill: side, quantity, price, the fee in its own asset and its valued meta, and when).
// /pnl, the equity history, the checkpoints and the trade statistics all read these, so one
// selection keeps them replaying the same fill the same way.
export const TRADE_REPLAY_SELECT = {
  instrumentId: true,
  side: true,
  quantity: true,
  price: true,
  fee: true,
  feeCurrency: true,
  meta: true,
  execTime: true,
} as const;
