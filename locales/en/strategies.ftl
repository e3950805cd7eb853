# TradeDesk — English: strategies (/strategies, /strategy)

## Commands
cmd-strategies = Your strategies with their version, parameters and use
cmd-strategies-example = /strategies all
cmd-strategy = Create a strategy, save a new version, or show one
cmd-strategy-example = /strategy MeanRev {"{"}"window": 20, "z": 2{"}"}

## /strategies
strategies-title = 🧠 Strategies ({ $count })
strategies-title-all = 🧠 Strategies — all versions ({ $count })
strategies-none = You have no strategies yet.
strategies-active = active
strategies-created = created { $date }
strategies-no-params = no parameters
strategies-orders = { $count ->
    [one] { $count } order
   *[other] { $count } orders
}
strategies-open-positions = { $count ->
    [one] { $count } open position
   *[other] { $count } open positions
}
strategies-more = …and { $count } more.
strategies-footer = Details and history: /strategy NAME. Old versions too: /strategies all.
strategies-usage = Usage: /strategies, or /strategies all to include old versions.

## /strategy
strategy-usage-title = Strategies: a name and JSON parameters. Saving an existing name makes a new version.
strategy-usage-save = Create a strategy or save a new version:
strategy-usage-show = Show its versions and parameters:
strategy-usage-trade = Trade with it, then see it on its own:
strategy-title = 🧠 { $name }
strategy-versions = { $count ->
    [one] { $count } version
   *[other] { $count } versions
}
strategy-older-hidden = …and { $count ->
    [one] { $count } older version
   *[other] { $count } older versions
} (all of them: /strategies all).
strategy-created = Strategy { $name } created, version { $version }.
strategy-new-version = { $name } saved as version { $version }.
strategy-history-kept = New orders with “strategy { $name }” use version { $version }; orders, fills and positions of version { $previous } keep version { $previous }.
strategy-params = Parameters:
strategy-try = Trade with it:
strategy-new-version-hint = Save a new version:
strategy-see-positions = Its positions:
strategy-bad-json = The parameters are not valid JSON. Write them as a JSON object, for example:
strategy-params-hint = Parameters are a JSON object, for example:
strategy-runs-on = ▶️ runs on { $portfolios }

## /run, /running, /stop — strategies running on portfolios
cmd-run = Run a strategy on a portfolio, once per closed candle
cmd-run-example = /run MeanRev on Main BTCUSDT ETHUSDT
cmd-running = Running strategies: state, last signal, orders, PnL; pause, resume, stop
cmd-running-example = /running
cmd-stop = Stop a running strategy (its positions stay open)
cmd-stop-example = /stop MeanRev · /stop MeanRev on Main
run-started = { $name } v{ $version } runs on { $portfolio } for { $symbols }: it is evaluated on every closed candle, and its orders are tagged with it.
run-started-hint = See it with /running; stop it with /stop { $name }.
run-need-strategy = You have no strategy to run yet. Save one first, e.g. /strategy MeanRev {"{"}"kind": "ma-cross", "fast": 20, "slow": 50, "timeframe": "1h"{"}"}
run-ask-strategy = Which strategy should run?
run-ask-portfolio = On which portfolio should { $name } run?
run-ask-symbols = Which symbols should { $name } trade on { $portfolio }? Send them separated by spaces, e.g. BTCUSDT ETHUSDT (/cancel to stop).
run-ask-symbols-again = Send one or more symbols, e.g. BTCUSDT ETHUSDT.
run-press-button = Please press one of the buttons (or /cancel).
run-confirm-live = ⚠️ { $portfolio } is a live portfolio: { $name } will place real orders for { $symbols } with real money. Start it?
run-confirm-yes = Start with real money
run-confirm-no = Don't start
run-not-started = Not started. Nothing was changed.
running-title = 🧠 Running strategies ({ $count })
running-none = No strategy is running. Start one with /run, for example:
running-newer = v{ $version } saved
running-live = live
running-status-running = running
running-status-paused = paused
running-status-stopped = stopped
running-paused-errors = paused after { $count } errors in a row
running-last-signal = Last signal: { $action } { $symbol } ({ $reason }), { $when }
running-no-signal = No signal yet
running-orders-today = { $count ->
    [one] { $count } order today
   *[other] { $count } orders today
}
running-pnl = PnL since start
running-stop = Stop
strategy-action-buy = BUY
strategy-action-sell = SELL
strategy-action-close = CLOSE
stop-which = Which one? Press its button:
stop-done = { $name } stopped on { $portfolio }.
stop-positions-hint = Its open positions stay open: see them with /positions, close them with /close.
pause-strategy-usage = Usage: /pause strategy NAME (or the ⏸ button on /running). Plain /pause stops new entries on a portfolio.
resume-strategy-usage = Usage: /resume strategy NAME (or the ▶️ button on /running).
strategy-paused = ⏸ { $name } paused on { $portfolio }: no new evaluations until resumed.
strategy-resumed = ▶️ { $name } runs again on { $portfolio }.
strategy-switched = ⬆️ { $name } now runs version { $version } on { $portfolio }.

## strategy notifications
strategy-notice-signals-title = 🧠 { $name } v{ $version } · { $symbol }
strategy-notice-placed = order #{ $id } { $status }, { $filled } of { $quantity }
strategy-notice-already = order #{ $id } was already placed for this candle
strategy-notice-nothing = nothing to trade
strategy-notice-refused = not placed
strategy-notice-portfolio = Portfolio { $portfolio }
strategy-notice-candle = candle of { $time }
strategy-notice-error-title = ⚠️ { $name } v{ $version }: evaluation failed
strategy-notice-paused-title = ⏸ { $name } v{ $version } paused
strategy-notice-error-retry = It will be tried again on the next run.
strategy-notice-paused = Paused after { $count } errors in a row. Fix the strategy (/strategy) and resume it from /running.
strategy-notice-daily-title = 🧠 { $name } v{ $version } · { $day }
strategy-notice-daily-orders = Orders: { $orders } · fills: { $fills }

## strategy runtime errors
error-strategy-live-needs-confirmation = { $portfolio } is a live portfolio: running a strategy on it needs your confirmation.
error-strategy-already-running = { $name } already runs on { $portfolio }. See /running.
error-strategy-not-running = { $name } is not running.
error-strategy-already-paused = { $name } is already paused.
error-strategy-already-running-now = { $name } is already running.
error-strategy-version-current = { $name } already runs its newest version (v{ $version }).
error-strategy-not-running-name = No running strategy called “{ $ref }”. See /running.
error-strategy-symbols-missing = Name at least one symbol, e.g. /run MeanRev on Main BTCUSDT.
error-strategy-symbols-too-many = At most { $max } symbols per running strategy.
field-strategy = Strategy
field-symbols = Symbols


## Strategy kinds: parameter errors
field-strategyParam = Strategy parameter
field-strategyKind = Strategy kind
error-strategy-kind-unknown = There is no strategy kind “{ $value }”. Kinds: { $kinds }.
error-strategy-param-unknown = There is no parameter “{ $param }” (parameters: { $known }).{ $suggestion ->
    [none] {""}
   *[other] {" "}Did you mean { $suggestion }?
}
error-strategy-param-required = The parameter “{ $param }” is missing.
error-strategy-param-invalid = The parameter “{ $param }” has a value I cannot use: { $value }.
error-strategy-param-number = { $param }: “{ $value }” is not a number.
error-strategy-param-range = { $param }: must be from { $min } to { $max } (got { $value }).
error-strategy-param-range-above = { $param }: must be above { $min } and at most { $max } (got { $value }).
error-strategy-param-min = { $param }: must be a whole number of at least { $limit } (got { $value }).
error-strategy-param-max = { $param }: must be a whole number of at most { $limit } (got { $value }).
error-strategy-param-choice = { $param }: “{ $value }” is not one of { $options }.
error-strategy-param-interval = { $param }: “{ $value }” is not a timeframe. Use one of { $allowed }.
error-strategy-ma-order = The fast average ({ $fast }) must be shorter than the slow one ({ $slow }).
error-strategy-size-both = Give either equityPct (a share of the equity) or quote (an amount), not both.
error-strategy-dca-dip-missing = dipMultiplier needs dipPct: how far below the reference the price must be for the larger buy.
error-strategy-grid-range = The upper price ({ $upper }) must be above the lower one ({ $lower }).

## Rules written in chat: mistakes, pointing at the statement and the word
field-strategyRules = Rules
error-rules-empty = The rules are empty. Write for example: buy 10% when RSI(14) < 30; sell all when RSI(14) > 70
error-rules-too-long = The rules are too long (at most { $max } characters).
error-rules-too-many = Too many statements (at most { $max }).
error-rules-statement = Statement { $statement }: “{ $word }” is not a statement. Start with buy, sell, stop, take, every or on.{ $suggestion ->
    [none] {""}
   *[other] {" "}Did you mean { $suggestion }?
}
error-rules-when-missing = Statement { $statement }: “when” is missing before the condition (found “{ $word }”). Example: buy 10% when RSI(14) < 30
error-rules-size-missing = Statement { $statement }: how much to { $action }? Write e.g. 10%, 100 USDT, 0.5 or all before “when”.
error-rules-size = Statement { $statement }: “{ $word }” is not an amount. Use 10% (of equity), 100 USDT or 100$ (quote), 0.5 (quantity) or all (sell).
error-rules-buy-all = Statement { $statement }: “buy all” has no meaning; buy a share (10%), an amount (100 USDT) or a quantity (0.5).
error-rules-percent = Statement { $statement }: “{ $word }” must be a percentage above 0 and at most { $max }, like 3%.
error-rules-duplicate = Statement { $statement }: “{ $word }” is given twice.
error-rules-timeframe = Statement { $statement }: “{ $word }” is not a timeframe. Use one of { $allowed }.
error-rules-condition-empty = Statement { $statement }: a condition is missing (after “when”, or around “and”/“or”).
error-rules-condition = Statement { $statement }: “{ $word }” is not a comparison like RSI(14) < 30.
error-rules-condition-constant = Statement { $statement }: “{ $word }” compares two numbers; one side must be an indicator.
error-rules-too-many-conditions = Statement { $statement }: too many conditions (at most { $max }).
error-rules-indicator = Statement { $statement }: I don't know the indicator “{ $word }”.{ $suggestion ->
    [none] {" "}Try RSI(14), SMA(50), EMA(20), MACD, BB(20), ATR(14) or close.
   *[other] {" "}Did you mean { $suggestion }?
}
error-rules-indicator-params = Statement { $statement }: “{ $word }” has parameters the indicator cannot take.
error-rules-period = Statement { $statement }: the period in “{ $word }” must be from { $min } to { $max }.
error-rules-indicator-daily = Statement { $statement }: “{ $word }” needs daily highs and lows, which rules do not read; use an indicator on the strategy's timeframe.
error-rules-no-buy = The rules never buy: add a statement like buy 10% when RSI(14) < 30

## /strategy new: a strategy of a built-in kind
strategy-usage-new = Create one of the built-in kinds (rules, ma-cross, dca, grid), or send /strategy new alone to be asked step by step:
strategy-new-bad-pair = “{ $word }” is not a parameter written as key=value. For example:
strategy-new-try = For example:
strategy-kind-rules = rules — buy and sell on indicator conditions you write:
strategy-kind-ma-cross = ma-cross — buy when a fast moving average crosses above a slow one, sell when it crosses below:
strategy-kind-dca = dca — buy a fixed amount on a schedule (cron in your time zone):
strategy-kind-grid = grid — buy at price levels on the way down, sell each one level higher:

## backtests
field-backtestRange = Backtest period
error-backtest-range-order = The start of the period must be before its end.
error-backtest-range-long = That period is { $candles } candles of { $timeframe }; a backtest takes at most { $max }. Choose a shorter period or a longer timeframe.
error-backtest-running = Your previous backtest is still running; wait for its result.
error-backtest-few-candles = The strategy needs { $needed } candles of history and the period has { $got }. Choose a longer period.
error-backtest-timeout = The backtest took too long and was stopped. Try a shorter period or a longer timeframe.

## /backtest
cmd-backtest = Test a strategy on past prices: return, drawdown, trades and a chart
cmd-backtest-example = /backtest Dip BTCUSDT 2026-01-01 2026-03-01 1h
backtest-usage = Usage: /backtest STRATEGY SYMBOL [FROM [TO]] [TIMEFRAME]. Dates are days (2026-03-01) or times (2026-03-01T12:00) in your time zone; without them, the last 90 days; a lone FROM runs up to now. The timeframe (1m, 5m, 15m, 30m, 1h, 4h, 1d) replaces the strategy's own for this test. A name with spaces goes in quotes. For example:
backtest-bad-date = “{ $word }” is not a date: write a day as 2026-03-01 or a time as 2026-03-01T12:00.
backtest-too-many-dates = “{ $word }” is a third date: give at most FROM and TO.
backtest-bad-timeframe = “{ $word }” is not a timeframe. Timeframes: { $intervals }.
backtest-bad-word = I don't understand “{ $word }” here: after the strategy and the symbol come only dates and a timeframe.
backtest-title = Backtest of { $name } v{ $version } · { $symbol } { $timeframe }
backtest-range = { $from } — { $to }
backtest-progress = { $phase }: { $percent } %
backtest-phase-queued = starting
backtest-phase-candles = reading the price history
backtest-phase-running = simulating the trades
backtest-period = { $from } — { $to }, { $candles } candles
backtest-equity = Equity
backtest-return = Return vs buy and hold
backtest-vs = { $a } vs { $b }
backtest-cagr = Annualized (CAGR)
backtest-drawdown = Max drawdown
backtest-sharpe = Sharpe / Sortino
backtest-trades = Trades
backtest-trades-value = { $trades } ({ $wins } won, { $losses } lost)
backtest-win-rate = Win rate
backtest-average = Average win / loss
backtest-exposure = Time in the market
backtest-fees = Fees paid
backtest-open-trade = A position opened { $since } is still open at the end (valued at the last close).
backtest-footer = Simulated with the paper venue's fees and slippage; past results do not promise future ones.
backtest-chart-title = { $name } · { $symbol } { $timeframe }
backtest-chart-equity = Strategy
backtest-chart-buy-hold = Buy and hold
backtest-chart-drawdown = Drawdown
backtest-chart-entries = Entries
backtest-chart-exits = Exits

## /strategy new, step by step
strategy-new-choose-kind = New strategy. Which kind?
    • DCA — buy a fixed amount on a schedule
    • Grid — buy at price levels on the way down, sell each one level higher
    • MA crossover — buy when a fast moving average crosses above a slow one, sell when it crosses below
    • Rules — buy and sell on indicator conditions you write
strategy-new-press-kind = Press one of the buttons to choose the kind, or /cancel.
strategy-kind-button-dca = DCA
strategy-kind-button-grid = Grid
strategy-kind-button-ma-cross = MA crossover
strategy-kind-button-rules = Rules
strategy-new-default = { $value } (default)
strategy-new-skip = Skip
strategy-new-optional = Optional: press Skip to leave it out.
strategy-new-answer-again = Type the value, or press one of the buttons under the question; /cancel to stop.
strategy-new-ask-name = What should the strategy be called? (a name none of your strategies has)
strategy-new-ask-name-again = Send another name, or /cancel.
strategy-new-summary = New strategy { $name } · { $kind }
strategy-new-confirm = Save
strategy-new-discard = Discard
strategy-new-press-confirm = Press Save or Discard under the summary, or /cancel.
strategy-new-discarded = Nothing saved.
strategy-new-next-backtest = Test it on history:
strategy-new-next-run = Run it on a paper portfolio:
error-strategy-name-taken = You already have a strategy called “{ $name }”. Choose another name (or save a new version of it with /strategy new { $name } KIND …).
strategy-param-source = source — the rules, statements separated by “;”, for example:
    buy 10% when RSI(14) < 30 and close > SMA(200); sell all when RSI(14) > 70; stop 3%; take 8%
    Add “every 4h” to choose the timeframe in the text.
strategy-param-timeframe = timeframe — the candles it is evaluated on: 1m, 5m, 15m, 30m, 1h, 4h or 1d.
strategy-param-cron = cron — when to buy, a cron schedule in your time zone, for example 0 9 * * 1 (Mondays at 09:00).
strategy-param-quote = quote — { $kind ->
        [grid] the amount bought at each level
        [dca] the amount bought each time
       *[other] a fixed amount per entry (instead of a share of the equity)
    }, in the quote currency, e.g. 100.
strategy-param-dipPct = dipPct — buy more when the price is this many percent below the reference, e.g. 5.
strategy-param-dipMultiplier = dipMultiplier — how many times the amount to buy on a dip, above 1 and at most 10, e.g. 2.
strategy-param-reference = reference — the price a dip is measured from (without it, the average entry price).
strategy-param-lower = lower — the lowest price of the grid, e.g. 90.
strategy-param-upper = upper — the highest price of the grid, above the lowest, e.g. 110.
strategy-param-levels = levels — how many price levels, from 2 to 100.
strategy-param-spacing = spacing — levels evenly apart (ARITHMETIC) or by the same ratio (GEOMETRIC).
strategy-param-type = type — the moving average: simple (SMA) or exponential (EMA).
strategy-param-fast = fast — the period of the fast average, in candles (a whole number).
strategy-param-slow = slow — the period of the slow average, in candles, longer than the fast one.
strategy-param-equityPct = equityPct — the share of the equity to buy with, in percent (without it and without quote: 10).
strategy-param-stopLossPct = stopLossPct — sell everything when the price falls this many percent below the entry, e.g. 3.
strategy-param-takeProfitPct = takeProfitPct — sell everything when the price rises this many percent above the entry, e.g. 8.
