# Trade statistics: /profit, /performance, /stats, /daily, /weekly, /monthly, /export

cmd-profit = Profit: realized and unrealized, return net of deposits, win rate, drawdown
cmd-profit-example = /profit month Swing
cmd-daily = PnL, closed trades and return of the last days, with a chart (default 7, up to 60)
cmd-daily-example = /daily 14
cmd-weekly = The same for the last weeks (default 8, up to 60)
cmd-weekly-example = /weekly 12 Swing
cmd-monthly = The same for the last months (default 6, up to 60)
cmd-monthly-example = /monthly 12
cmd-performance = Realized PnL, closed trades and win rate per symbol, best first
cmd-performance-example = /performance year
cmd-stats = Wins and losses: averages, holding times, why positions were closed
cmd-stats-example = /stats week Swing
cmd-export = Your trades or orders of a period as a CSV file
cmd-export-example = /export trades month Swing

reports-unknown-word = “{ $word }” is neither { $expected } nor one of your portfolios ({ $portfolios }).
reports-expect-period = a period ({ $periods })
reports-expect-count = a number of periods from 1 to { $max }
reports-expect-export = trades, orders or a period ({ $periods })
reports-no-trades = No trades in this period yet.
reports-no-closed-trades = No closed trades in this period yet: a trade counts once its position is back to zero.
field-periods = Number of periods
error-history-periods-range = Give a whole number of periods from 1 to { $max }.

profit-usage = Usage: /profit [today|yesterday|week|month|year|all] [portfolio], e.g. /profit week Swing
profit-title = 💰 Profit — { $portfolio } — { $period }
profit-realized = Realized (after fees)
profit-unrealized = Unrealized ({ $count ->
    [one] 1 open position
   *[other] { $count } open positions
  })
profit-value-change = Profit (value change net of deposits/withdrawals)
profit-roi = Return (time-weighted)
profit-trades = Closed trades: { $trades } (won { $wins }, lost { $losses })
profit-win-rate = win rate
profit-factor = Profit factor
profit-avg-hold = Average holding time
profit-no-closed = Closed trades: none yet
profit-best = Best
profit-worst = worst
profit-drawdown = Max drawdown

performance-usage = Usage: /performance [today|yesterday|week|month|year|all] [portfolio]
performance-title = 🏁 Performance by symbol — { $portfolio } — { $period }
performance-col-symbol = Symbol
performance-col-pnl = Realized
performance-col-trades = Trades
performance-col-win = Win %
performance-note = Realized: what the period's fills realized, after their fees. Trades: positions closed (back to zero) in the period.

stats-usage = Usage: /stats [today|yesterday|week|month|year|all] [portfolio]
stats-title = 📊 Statistics — { $portfolio } — { $period }
stats-summary = { $trades ->
    [one] 1 closed trade
   *[other] { $trades } closed trades
  }
stats-even = Closed at exactly zero: { $count }
stats-col-wins = Wins
stats-col-losses = Losses
stats-row-count = Count
stats-row-average = Average, { $currency }
stats-row-hold = Holding time
stats-exit-reasons = Why positions were closed
stats-col-reason = Exit
stats-col-net = Net, { $currency }
exit-reason-manual = Manual
exit-reason-stop = Stop
exit-reason-stop-loss = Stop-loss
exit-reason-trailing-stop = Trailing stop
exit-reason-take-profit = Take-profit
exit-reason-strategy = Strategy
exit-reason-risk = Risk close
exit-reason-external = Outside the bot

duration-under-minute = < 1 min
duration-days = { $n } d
duration-hours = { $n } h
duration-minutes = { $n } min

history-usage-day = Usage: /daily [number of days, 1–60] [portfolio], e.g. /daily 14
history-usage-week = Usage: /weekly [number of weeks, 1–60] [portfolio], e.g. /weekly 12
history-usage-month = Usage: /monthly [number of months, 1–60] [portfolio], e.g. /monthly 6
history-title-day = 📅 Daily — { $portfolio } — last { $count } days
history-title-week = 📅 Weekly — { $portfolio } — last { $count } weeks
history-title-month = 📅 Monthly — { $portfolio } — last { $count } months
history-col-day = Day
history-col-week = Week of
history-col-month = Month
history-col-pnl = PnL, { $currency }
history-col-realized = Realized, { $currency }
history-exchange-realized = Deposits and withdrawals happen at { $broker }: each period shows the realized PnL of its fills after fees, not the value change or return.
history-col-return = Return

export-usage = Usage: /export trades|orders [today|yesterday|week|month|year|all] [portfolio], e.g. /export trades month Swing
export-kind-trades = Trades
export-kind-orders = Orders
export-empty = { $what } — { $portfolio } — { $period }: nothing to export in this period.
export-caption = { $what } — { $portfolio } — { $period }: { $rows } rows. Times in UTC and in { $zone }.
export-capped = Only the first { $rows } of { $total } rows (at most { $max } per file): export a shorter period for the rest.
