# TradeDesk — English: alerts, screeners and the indicator vocabulary

## Commands
cmd-alert = Create an alert in one line (price, move, indicator, position, risk)
cmd-alert-example = /alert ETHUSDT rsi14 1h below 30
cmd-newalert = Create an alert step by step
cmd-newalert-example = /newalert
cmd-alerts = Your alerts: pause, resume, delete
cmd-alerts-example = /alerts
cmd-screen = Run a saved screener now
cmd-screen-example = /screen Oversold
cmd-newscreener = Build a screener step by step
cmd-newscreener-example = /newscreener
cmd-screeners = Your screeners: run, delete
cmd-screeners-example = /screeners

## /alert
alert-usage-title = Alerts in one line, for example:
alert-usage-options = Add “once” for a one-time alert, or “every 30m” to repeat at most every 30 minutes (the default is every 1h). Add info, warning, error or critical to set how loud it is. Position and risk alerts take “in PORTFOLIO” for a portfolio other than the active one.
alert-usage-semantics = An alert fires when its condition becomes true: one already true when you create it waits for the next time. Write “is” (BTCUSDT is above 70000) to be told while it holds.
alert-usage-hint = Send /alert without anything for examples, or /newalert to go step by step.
alert-created = Alert #{ $id } saved:
alert-created-now = Now: { $values }
alert-created-already-true = This is already true now, so I will tell you the next time it becomes true. Write “is” in the alert to be told while it holds.
alert-created-no-risk = Risk alerts are checked once risk usage is available in this installation.
alert-once = once
alert-every = every { $cooldown }
alert-while-true = while true
alert-severity-info = info
alert-severity-warning = warning
alert-severity-error = error
alert-severity-critical = critical
alert-price-word = Price

## Values an alert looked at
alert-value-price = price
alert-value-level = level
alert-value-reference = price before
alert-value-changePct = change
alert-value-value = value
alert-value-fast = fast
alert-value-slow = slow
alert-value-macd = MACD
alert-value-signal = signal
alert-value-histogram = histogram
alert-value-band = band
alert-value-reach = candle extreme
alert-value-previousClose = previous close
alert-value-atr = ATR
alert-value-ratio = move in ATRs
alert-value-unrealized = unrealized PnL
alert-value-unrealizedPct = unrealized PnL
alert-value-quantity = quantity
alert-value-drawdownPct = drawdown
alert-value-peak = best price
alert-value-usedPct = used
alert-value-rule = rule

## Fired alerts
alert-fired-title = 🔔 { $name }
alert-fired-price-above = { $symbol } is at { $price }, at or above { $level }.
alert-fired-price-below = { $symbol } is at { $price }, at or below { $level }.
alert-fired-move = { $symbol } moved { $change } within { $window }: { $reference } → { $price }.
alert-fired-indicator-above = { $indicator } of { $symbol } on { $interval } is { $value }, at or above { $level }.
alert-fired-indicator-below = { $indicator } of { $symbol } on { $interval } is { $value }, at or below { $level }.
alert-fired-ma-above = { $fast } is now above { $slow } on { $symbol } { $interval }: { $fastValue } vs { $slowValue }.
alert-fired-ma-below = { $fast } is now below { $slow } on { $symbol } { $interval }: { $fastValue } vs { $slowValue }.
alert-fired-macd-above = MACD crossed above its signal line on { $symbol } { $interval }: { $macd } vs { $signal }.
alert-fired-macd-below = MACD crossed below its signal line on { $symbol } { $interval }: { $macd } vs { $signal }.
alert-fired-bb-upper = { $symbol } { $interval } reached the upper Bollinger band { $band } (high { $reach }).
alert-fired-bb-lower = { $symbol } { $interval } reached the lower Bollinger band { $band } (low { $reach }).
alert-fired-atr = { $symbol } { $interval } moved { $ratio } ATR from the previous close: { $previous } → { $price } (ATR { $atr }).
alert-fired-pnl = { $symbol } in { $portfolio }: unrealized PnL { $pnl } ({ $pct }).
alert-fired-drawdown = { $symbol } in { $portfolio } is { $drawdown } below its best price { $peak } (now { $price }).
alert-fired-risk = { $portfolio }: the risk rule { $rule } is at { $used } of its limit.
alert-fired-once = One-time alert: it is now off.
alert-fired-repeat = It can fire again after { $cooldown }.
alert-pause-button = ⏸ Pause this alert

## /alerts
alerts-title = 🔔 Your alerts ({ $count })
alerts-none = No alerts yet. Create one with /alert or /newalert.
alerts-page = Page { $page } of { $pages } · ⏸ pauses, ▶️ resumes, 🗑 deletes
alerts-fired = fired { $count }×, last { $when }
alerts-never-fired = not fired yet
alert-paused = Paused: { $name }
alert-resumed = Resumed: { $name }
alert-deleted = Deleted: { $name }
alert-delete-confirm = Delete this alert?
alert-delete-yes = 🗑 Delete
alert-delete-no = Keep it

## /newalert
newalert-kind = What should the alert watch?
newalert-kind-price = Price level
newalert-kind-move = Price move in %
newalert-kind-rsi = RSI level
newalert-kind-ma = Moving average cross
newalert-kind-macd = MACD cross
newalert-kind-bb = Bollinger band touch
newalert-kind-atr = Move of k × ATR
newalert-kind-vol = Volume spike
newalert-kind-pnl = Position PnL
newalert-kind-dd = Position drawdown
newalert-press-button = Please choose with one of the buttons above, or /cancel.
newalert-symbol = Which symbol? For example BTCUSDT or AAPL.
newalert-interval = Which candle interval?
newalert-direction = Which direction?
newalert-dir-above = At or above
newalert-dir-below = At or below
newalert-dir-up = Crossing up
newalert-dir-down = Crossing down
newalert-dir-any = Either way
newalert-level-price = At which price? Type a number, for example 70000.
newalert-level-rsi = At which RSI level? Type a number between 0 and 100, for example 30.
newalert-move-percent = How many percent? For example 5.
newalert-move-window = Within how long? Press a button or type a duration such as 90m.
newalert-ma-fast = The fast line: press a button or type an average such as ema20 or sma50.
newalert-ma-slow = The slow line: press a button or type an average such as sma200.
newalert-ma-same = The second line must differ from the first ({ $fast }): one line cannot cross itself. Try { $suggestions }.
newalert-ma-kind = “{ $value }” is not a moving average: type an ema or sma with its period (ema20, sma200) or price.
newalert-band = Which band?
newalert-band-upper = Upper band
newalert-band-lower = Lower band
newalert-atr-multiplier = How many ATRs from the previous close? Press a button or type a number.
newalert-volume-multiplier = How many times the 20-candle average volume? Press a button or type a number.
newalert-pnl-threshold = At which unrealized PnL? Type an amount such as -500 or a percent such as -5%.
newalert-drawdown = How many percent below the position's best price? For example 10.
newalert-number-again = That is not a number I can use here. Please type it again, or /cancel.
newalert-type-again = Please type it again, or /cancel.
newalert-repeat = Once, or repeating with a pause between alerts?
newalert-try-command = You can fix it and send it as one line: { $command }
newalert-next-time = Next time you can type it in one line: { $command }

## Screeners
screen-usage = Send /screen with the name of one of your screeners, for example /screen Oversold.
screeners-title = 📊 Your screeners ({ $count })
screeners-none = No screeners yet. Build one with /newscreener.
screener-unsaved = Screener
screener-summary = { $matched } of { $evaluated } instruments match.
screener-no-matches = Nothing matches right now.
screener-skipped = No data for: { $list }
screener-col-symbol = Symbol
screener-col-price = Price
screener-run-again = 🔄 Run again
screener-run-now = ▶️ Run now
screener-running = Running…
screener-delete-confirm = Delete the screener “{ $name }”?
screener-delete-yes = 🗑 Delete
screener-delete-no = Keep it
screener-deleted = Deleted: { $name }
screener-no-conditions = no conditions
screener-sorted-by = by { $metric } { $order }
screener-top = top { $count }
screener-universe-symbols = { $list }
screener-universe-symbols-more = { $list } and { $count } more
screener-universe-exchange = { $exchange }
screener-universe-type-crypto = Crypto
screener-universe-type-equity = Stocks
screener-universe-type-etf = ETFs
screener-universe-type-future = Futures
screener-universe-type-forex = Forex

## /newscreener
newscreener-universe = Which instruments should the screener look at? Press a button, or type symbols separated by spaces (BTCUSDT ETHUSDT AAPL).
newscreener-universe-again = Please press a button or type symbols such as BTCUSDT ETHUSDT.
newscreener-press-button = Please choose with one of the buttons above, or /cancel.
newscreener-interval = Which candle interval should the indicators use?
newscreener-conditions = Add conditions one at a time: press a button or type one, such as RSI(14) < 30, EMA(20) > EMA(50), PRICE_CHANGE_PCT(24) > 5, VOLUME_SPIKE(20) > 2, DIST_FROM_HIGH_PCT(30d) < 5 or price > 100. Press Done when you have all of them.
newscreener-conditions-again = Press a condition, type one such as RSI(14) < 30, or press Done.
newscreener-condition-example = Write it as an indicator, a comparison and a number or indicator, for example RSI(14) < 30.
newscreener-condition-added = Added. Conditions ({ $count }): { $list }. Add another, or press Done.
newscreener-done = ✅ Done
newscreener-sort = Sort the matches by which value? Press a button or type an indicator such as ATR(14).
newscreener-sort-again = Press a button or type an indicator such as RSI(14).
newscreener-order = Highest first or lowest first?
newscreener-order-desc = ⬇️ Highest first
newscreener-order-asc = ⬆️ Lowest first
newscreener-top = How many rows at most? Press a button or type a number up to { $max }.
newscreener-top-again = Please type a whole number from 1 to { $max }, or press a button.
newscreener-name = Last step: a name for the screener, for example Oversold.
newscreener-saved = Screener “{ $name }” saved.
newscreener-run-hint = Run it any time with { $command }, or schedule it with /newschedule.

## Field and entity names (used inside error messages)
field-alertSyntax = Alert
field-alertKind = Alert type
field-alertLevel = Level
field-alertDirection = Direction
field-alertPercent = Percent
field-alertWindow = Time window
field-alertMultiplier = Multiplier
field-alertBand = Band
field-alertThreshold = Threshold
field-alertTrigger = Trigger
field-alertCooldown = Repeat interval
field-alertSeverity = Severity
field-alertRule = Risk rule
field-candleInterval = Interval
field-indicator = Indicator
field-indicatorPeriod = Period
field-indicatorDays = Number of days
field-indicatorFast = Fast period
field-indicatorSlow = Slow period
field-indicatorSignal = Signal period
field-indicatorStdDev = Standard deviations
field-indicatorOutput = Indicator line
field-screenerUniverse = Instruments
field-screenerSymbols = Symbols
field-screenerAssetType = Asset type
field-screenerExchange = Exchange
field-screenerCondition = Condition
field-screenerSort = Sort
field-screenerLimit = Number of rows
entity-alert = alert
entity-screener = screener

## Errors
error-alert-usage = That is not a complete alert. Start with a symbol, for example: /alert BTCUSDT above 70000.
error-alert-unknown-word = I don't understand “{ $word }” in this alert.
error-alert-needs-number = “{ $after }” needs a number after it.
error-alert-needs-percent = “{ $after }” needs a percentage after it, such as 5%.
error-alert-needs-duration = “{ $after }” needs a duration after it, such as 30m, 1h or 1d.
error-alert-needs-interval = Add a candle interval to the { $after } alert: 1m, 5m, 15m, 30m, 1h, 4h or 1d.
error-alert-needs-ma = “{ $after }” needs a moving average, such as ema50 or sma200.
error-alert-needs-severity = “{ $after }” needs one of info, warning, error, critical.
error-alert-needs-name = “{ $after }” needs a name after it.
error-alert-config-invalid = { $fieldName }: the alert settings are not valid.
error-alert-choice = { $fieldName }: “{ $value }” is not one of { $allowed }.
error-alert-interval = { $fieldName }: “{ $value }” is not an interval; use one of { $allowed }.
error-alert-too-large = { $fieldName }: { $value } is too large (at most { $max }).
error-alert-duration-range = { $fieldName }: must be between { $min } and { $max }.
error-alert-rsi-level = { $fieldName }: an RSI level must be between 0 and 100 (got { $value }).
error-alert-multiplier-range = { $fieldName }: must be above 0 and at most { $max } (got { $value }).
error-alert-threshold-zero = { $fieldName }: use a loss (negative) or a gain (positive), not 0.
error-alert-rule = { $fieldName }: “{ $value }” is not a rule name, such as dailyLossLimitPct.
error-alert-not-ma = { $fieldName }: { $value } is not a moving average; use sma or ema, or the price.
error-alert-same-ma = { $fieldName }: compare two different averages, not { $value } with itself.
error-alert-indicator-kind = { $fieldName }: this alert needs { $expected }, not { $value }.
error-alert-price-is-not-indicator = For a price level use an alert such as “BTCUSDT above 70000”.
error-alert-no-market-data = The market data source has no prices for { $symbol }.
error-alert-no-position = You have no open { $symbol } position in { $portfolio }.
error-alert-limit = You have reached the limit of { $max } alerts. Delete some with /alerts first.
error-indicator-unknown = { $fieldName }: I don't know “{ $value }”. Try rsi14, sma50, ema20, macd, bb20, atr14 or vol20.
error-indicator-period-range = { $fieldName } of { $indicator }: must be a whole number from { $min } to { $max } (got { $value }).
error-indicator-macd-order = { $fieldName }: the fast period ({ $fast }) must be shorter than the slow one ({ $slow }).
error-indicator-std-dev = { $fieldName }: must be above 0 and at most { $max } (got { $value }).
error-indicator-output = { $fieldName }: “{ $value }” is not one of { $outputs }.
error-screener-config-invalid = { $fieldName }: the screener settings are not valid.
error-screener-exchange = { $fieldName }: “{ $value }” is not an exchange I know; use one of { $allowed }.
error-screener-symbols-empty = { $fieldName }: give at least one symbol.
error-screener-symbols-too-many = { $fieldName }: at most { $max } symbols.
error-screener-universe-empty = { $fieldName }: there are no instruments there.
error-screener-condition-syntax = { $fieldName }: “{ $value }” is not a comparison such as RSI(14) < 30.
error-screener-condition-left = { $fieldName }: start with an indicator, for example RSI(14) < 30.
error-screener-too-many-conditions = { $fieldName }: at most { $max } conditions.
error-screener-sort-syntax = { $fieldName }: name an indicator, for example RSI(14) asc.
error-screener-limit = { $fieldName }: a whole number from 1 to { $max } (got { $value }).
error-screener-name-taken = You already have a screener called “{ $name }”.
error-screener-limit-reached = You have reached the limit of { $max } screeners.
error-unknown-screener = You have no screener called “{ $ref }”. See /screeners.

## Durations
alert-duration-minutes = { $count } min
alert-duration-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
alert-duration-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
