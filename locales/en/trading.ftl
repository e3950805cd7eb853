# Trading: accounts, portfolios, market data, orders, positions, PnL

cmd-portfolio = Your portfolios; tap one to make it active
cmd-portfolio-example = /portfolio
cmd-newaccount = Add a broker account (paper accounts start with cash)
cmd-newaccount-example = /newaccount
cmd-newportfolio = Create a portfolio on one of your accounts
cmd-newportfolio-example = /newportfolio
cmd-balance = Cash per portfolio: cash, reserved, free, positions; account totals
cmd-balance-example = /balance
cmd-deposit = Add cash to a paper portfolio (the active one unless named)
cmd-deposit-example = /deposit 5000 USDT Swing
cmd-withdraw = Take free cash out of a paper portfolio (the active one unless named)
cmd-withdraw-example = /withdraw 1000 USDT
cmd-transfer = Move cash between two portfolios of one account
cmd-transfer-example = /transfer 2000 USDT Main Swing
cmd-price = Last price of a symbol
cmd-price-example = /price BTCUSDT
cmd-quote = Bid, ask, spread and the day's range
cmd-quote-example = /quote AAPL
cmd-buy = Buy: quick syntax, or step by step without arguments
cmd-buy-example = /buy BTCUSDT 0.01 limit 60000
cmd-sell = Sell: quick syntax, or step by step without arguments
cmd-sell-example = /sell BTCUSDT 0.5 trailing 1.5%
cmd-orders = Orders: open, filled, canceled or all
cmd-orders-example = /orders open
cmd-cancel = Cancel an open order by its number
cmd-cancel-example = /cancel 42
cmd-trades = Your fills in a period
cmd-trades-example = /trades week
cmd-positions = Positions with value and PnL
cmd-positions-example = /positions strategy MeanRev
cmd-pnl = PnL for today, yesterday, week, month, year or all
cmd-pnl-example = /pnl week

## Portfolios
portfolio-title = 📁 Portfolios
portfolio-none = You have no portfolio yet. Add an account with /newaccount, then a portfolio with /newportfolio.
portfolio-tap-to-switch = Tap a portfolio to make it active for the following commands.
portfolio-active = Active: { $name }
portfolio-paper = paper
portfolio-testnet = testnet
portfolio-default = default
portfolio-switched = { $name } is now active.
portfolio-new = New
portfolio-create-first = Create a portfolio
portfolio-make-default = Make default
portfolio-default-set = { $name } is now your default portfolio.
portfolio-rename = Rename
portfolio-delete = Delete
portfolio-delete-confirm = Yes, delete the active portfolio
portfolio-delete-keep = No, keep it
portfolio-deleted = Portfolio { $name } deleted.
portfolio-archived = Portfolio { $name } archived: it is hidden and takes no new orders; its orders, trades and positions stay in your history.
portfolio-cancel-orders = Cancel { $count } open order(s)
portfolio-close-positions = Close { $count } position(s) at market
portfolio-delete-now = Delete it now
portfolio-canceled-orders = Canceled { $count } open order(s).
portfolio-cancel-ended = #{ $id } { $symbol } was not canceled: it is { $status }.
portfolio-cancel-refused = #{ $id } { $symbol } could not be canceled: { $reason }
portfolio-close-title = Closing positions at market:
portfolio-close-placed = #{ $id } { $order }: { $status }
portfolio-close-refused = { $order }: not placed. { $reason }
portfolio-flat-now = { $name } has no open orders or positions left: you can delete it now.
portfolio-still-open = { $name } still has { $positions } open position(s) and { $orders } open order(s).
portfolio-retired-title-archived = Portfolio “{ $name }” archived
portfolio-retired-title-deleted = Portfolio “{ $name }” deleted
portfolio-retired-title-missing = A schedule's portfolio no longer exists
portfolio-retired-paused = What referred to it was paused (not deleted):
portfolio-retired-schedules = Schedules: { $names }
portfolio-retired-alerts = Alerts: { $names }
portfolio-retired-policies = Risk policies: { $names }
portfolio-retired-next = Delete them, or set them up again for another portfolio.
portfolio-need-account = You need an account first: /newaccount
portfolio-choose-account = Which account should the portfolio use?
portfolio-choose-account-again = Please choose an account with the buttons, or /cancel.
portfolio-ask-name = Name for the new portfolio on { $account }? (for example “Main” or “Swing”; /cancel to stop)
portfolio-created = Portfolio { $name } created and active.
portfolio-created-default = Portfolio { $name } created; it is your default and active portfolio.
portfolio-ask-new-name = New name for the portfolio? (/cancel to keep it)
portfolio-renamed = Renamed to { $name }.

## Accounts and cash
account-choose-broker = Which broker is the account with?
account-choose-broker-again = Please choose a broker with the buttons, or /cancel.
account-broker-unavailable = not available here
account-broker-not-available = Live trading with { $broker } is not available in this installation yet. Choose the paper broker to trade with simulated fills, or send /cancel.
account-ask-name = A name for the account (for example “{ $example }”)?
account-ask-currency = Its base currency? Press a button or type a code.
account-ask-currency-again = Please press a button or type a currency code such as USDT.
account-ask-cash = Starting cash in { $currency }? Press a button or type an amount.
account-ask-cash-again = Please type an amount such as 25000, or press a button.
account-created = Account { $name } created. Starting cash: { $balance } (it goes to the first portfolio you create on the account).
account-create-portfolio = Create a portfolio on it
account-ask-testnet = Should the { $broker } account trade on the exchange's testnet (test money, nothing real) or with real money?
account-testnet-yes = 🧪 Testnet (test money)
account-testnet-no = 💰 Real money
account-ask-testnet-again = Please press Testnet or Real money, or send /cancel.
account-ask-key = Send the API key of your { $broker } account. I delete your message as soon as I have read it. Create a key with reading and spot trading only: keys that may withdraw are refused. /cancel stops.
account-key-lost = I no longer have the key you sent (the bot restarted or too much time passed). Nothing was saved: start again with /newaccount.
account-live-failed = { $reason } Nothing was saved. Try again with /newaccount.
account-live-created = Account { $name } ({ $broker }, real money) is added. The key works and cannot withdraw; it is stored encrypted (master key { $keyId }). Balances come from { $broker }.
account-live-created-testnet = Account { $name } ({ $broker } testnet) is added. The key works; it is stored encrypted (master key { $keyId }). Balances come from the { $broker } testnet.
balance-title = 💰 Cash
balance-none = You have no accounts yet. Add one with /newaccount.
balance-empty = no cash yet
balance-line = { $currency }: cash { $cash } · positions { $positions }
balance-line-reserved = { $currency }: cash { $cash } · reserved { $reserved } · free { $free } · positions { $positions }
balance-account-total = Account total
balance-total-line = { $currency }: cash { $cash } (free { $free }) · positions { $positions } · total { $total }
balance-opening-pending = Starting cash { $amount } goes to the first portfolio you create on this account (/newportfolio).
balance-no-portfolio = no portfolio yet (/newportfolio)
balance-exchange-title = At the exchange (as it reports them)
balance-exchange-empty = no balances
balance-asset-line = { $asset }: free { $free } · locked { $locked } ≈ { $value }
balance-currency-value = { $currency } ≈ { $value }
balance-unpriced = no quote
balance-equity = Total equity: { $equity }
balance-unpriced-note = Left out of the equity (no quote in the account currency): { $assets }
balance-exchange-unreachable = I could not read the balances from { $broker } just now; try again in a moment.
balance-exchange-key-rejected = { $broker } refused the account's API key: replace it with /rotatekey.
balance-exchange-not-configured = Live trading with { $broker } is not configured in this installation, so its balances cannot be read.
cash-usage-deposit = Usage: /deposit AMOUNT [CURRENCY] [PORTFOLIO], e.g. /deposit 5000 USDT Swing (the active portfolio when none is named).
cash-usage-withdraw = Usage: /withdraw AMOUNT [CURRENCY] [PORTFOLIO], e.g. /withdraw 1000 USDT (the active portfolio when none is named).
cash-usage-transfer = Usage: /transfer AMOUNT [CURRENCY] FROM TO, e.g. /transfer 2000 USDT Main Swing. Put names with spaces in quotes or write “to” between them: /transfer 500 Long term to Swing
cash-transfer-ambiguous = I can read those portfolio names in more than one way. Put them in quotes or write “to” between them, e.g. /transfer 500 "Long term" to Swing
cash-deposited = Deposited { $amount } to { $portfolio } ({ $account }). Its cash: { $balance }.
cash-withdrawn = Withdrew { $amount } from { $portfolio } ({ $account }). Its cash: { $balance }.
cash-transferred = Moved { $amount } from { $from } to { $to }. Cash now: { $from } { $fromBalance }, { $to } { $toBalance }.

## Market data
price-usage = Which symbol? For example: /price BTCUSDT
price-too-many = Only the first { $max } symbols are shown; ask again for the rest.
quote-usage = Which symbol? For example: /quote AAPL
price-synthetic = synthetic prices (offline source)
price-stale = as of { $time }, exchange unreachable
error-market-unavailable = The exchange is not answering right now, so I have no current prices. Nothing was changed; try again in a minute.
quote-last = Last
quote-bid = Bid
quote-ask = Ask
quote-spread = Spread
quote-bp = { $value } bp
quote-day-range = Day range
quote-day-change = Day change

## Orders
order-side-buy = BUY
order-side-sell = SELL
order-type-market = Market
order-type-limit = Limit
order-type-stop = Stop
order-type-stop_limit = Stop-limit
order-type-trailing = Trailing stop
order-status-new = open
order-status-partially_filled = partly filled
order-status-filled = filled
order-status-canceled = canceled
order-status-rejected = rejected
order-status-expired = expired
order-card-title = 📝 Confirm order
order-card-portfolio = Portfolio
order-card-strategy = Strategy
order-card-quote = Bid / ask
order-card-est-price = Estimated price
order-card-price-if-filled = Price if filled
order-card-trigger-now = Trigger if the price turned now
order-card-value = Value
order-card-fee = Fee (estimated)
order-card-total-buy = Total to pay
order-card-total-sell = Total to receive
order-card-cash = Cash available
order-card-expires = Expires at the end of your day.
order-confirm = Confirm
order-edit = Edit
order-cancel = Cancel
order-use-value = Use { $value }
order-sell-free = Sell { $value }
order-sending = Sending…
order-refresh = Show the card again
order-no-portfolio = You have no portfolio to trade from yet. Create one with /newportfolio (it asks for a broker account first; /newaccount adds a paper account with cash), then /buy again.
order-draft-expired = This order card has expired. Start again with /buy or /sell.
order-discarded = Order discarded. Nothing was placed.
order-filled = ✅ Order #{ $id } filled: { $order } — { $filled } at { $price } { $currency }.
order-partially-filled = ◐ Order #{ $id } partly filled: { $order } — { $filled } at { $price } { $currency } so far; the rest is working.
order-working = 🕓 Order #{ $id } is working: { $order }. I will tell you when it fills.
order-rejected = ✖️ Order #{ $id } was rejected by the broker: { $order } — { $reason }
order-ended-unfilled = Order #{ $id } { $status }: { $order } (filled { $filled }).
order-queued = ⏳ Order #{ $id } is saved but the broker could not be reached; it will be sent automatically: { $order }
order-syntax-examples = Examples:
    /buy BTCUSDT 0.01
    /sell AAPL 10 limit 190.5
    /buy ETHUSDT 2 stop 3100 limit 3105 ioc
    /sell BTCUSDT 0.5 trailing 1.5%
    /buy BTCUSDT $250
    /buy BTCUSDT 0.1 tp 70000 sl 2%
    Or send /buy alone to be guided step by step.
order-syntax-usage = Tell me the symbol and the quantity.
order-syntax-quantity-missing = How much { $symbol }? Add a quantity or a cash amount: /{ $command } { $symbol } 10, or /{ $command } { $symbol } $500.
order-syntax-bad-quantity = “{ $value }” is not a quantity. Use digits with a dot, e.g. 0.25, or $250 for a cash amount.
order-syntax-bad-number = “{ $value }” is not an amount.
order-syntax-ambiguous = “{ $value }” can be read two ways (a thousand, or a decimal comma?). Write 1000 for a thousand, 1.5 or 1,5 for a fraction.
order-syntax-needs-number = “{ $word }” needs a number after it (got “{ $value }”).
order-syntax-needs-name = “{ $word }” needs a name after it.
order-syntax-unknown-word = I don't understand “{ $word }” here.
order-syntax-trailing-alone = A trailing stop cannot also have a limit or stop price.

## Order entry, step by step
entry-side = Buy or sell?
entry-press-button = Please use the buttons above, or /cancel.
entry-symbol = Which symbol? Press one or type it (current: { $current }).
entry-symbol-again = Please type a symbol such as BTCUSDT, or press a button.
entry-unknown-symbol = I don't know “{ $symbol }”. { $suggested ->
        [yes] Try one of these, or type another symbol.
       *[no] Type another symbol, for example { $examples }.
    }
entry-quantity = How much { $symbol }? Type a quantity (e.g. 0.5), or a cash amount with $ (e.g. $250).
entry-not-positive = “{ $value }” is not a positive number. Try again, or /cancel.
entry-try-again = Try again, or /cancel.
entry-type = Which order type?
entry-stop-price = Stop price for { $symbol }?
entry-limit-price = Limit price for { $symbol }?
entry-trail = Trailing distance: an amount (e.g. 150) or a percent (e.g. 1.5%)?
entry-tif = Time in force? GTC stays until canceled, IOC fills what it can now, FOK all or nothing now, DAY until the end of your day.

## Order lists
orders-title = Orders in { $portfolio } — { $filter }
orders-summary = { $total } found · page { $page }/{ $pages }
orders-none = No orders here.
orders-filter-open = open
orders-filter-filled = filled
orders-filter-canceled = canceled
orders-filter-all = all
orders-trigger-now = trigger now { $price } { $currency }
orders-filled = filled { $filled } @ { $price }
orders-cancel = Cancel #{ $id }
orders-cancel-confirm = Cancel order #{ $id }?
orders-cancel-yes = ✖️ Yes, cancel #{ $id }
orders-cancel-no = « No, keep it
orders-canceled = Order #{ $id } canceled.
orders-cancel-too-late = Order #{ $id } could not be canceled: it is already { $status }.
orders-usage = Usage: /orders [open|filled|canceled|all]
cancel-usage = Which order? For example: /cancel 42 (numbers are in /orders).
trades-title = Fills in { $portfolio } — { $period }
trades-none = No fills in this period.
trades-fee = fee
trades-usage = Usage: /trades [today|yesterday|week|month|year|all]

## Positions and PnL
positions-title = 📊 Positions — { $portfolio }
positions-title-all = 📊 Positions — all portfolios · strategy { $strategy }
positions-strategy = strategy { $strategy }
positions-none = No open positions.
positions-long = LONG
positions-short = SHORT
positions-qty = Quantity
positions-avg = Average cost
positions-last = Last price
positions-value = Market value
positions-unrealized = Unrealized
positions-realized = Realized
positions-fees = Fees
positions-totals = Totals
positions-total-value = Market value
positions-net = Net (unrealized + realized − fees)
positions-check-title = 🔎 Fills vs exchange — { $account }
positions-check-scope = the fills of all { $count } portfolios of the account (the exchange's balances are the account's)
positions-check-agrees = TradeDesk's fills and { $broker } agree.
positions-check-differs = { $count ->
    [one] TradeDesk's fills and { $broker } differ on 1 asset.
   *[other] TradeDesk's fills and { $broker } differ on { $count } assets.
}
positions-check-line = { $asset }: { $broker } holds { $exchange } (free { $free } · locked { $locked }), the fills say { $fills }, a difference of { $difference }. Deposited, withdrawn or traded outside TradeDesk?
positions-check-empty = Neither the fills nor { $broker } hold any coins.
positions-check-col-asset = Asset
positions-check-col-fills = Fills
positions-check-col-exchange = { $broker }
positions-check-col-difference = Difference
positions-check-dust = dust
pnl-title = 📈 PnL — { $portfolio } — { $period }
pnl-period-yesterday = yesterday
pnl-period-today = today
pnl-period-week = this week
pnl-period-month = this month
pnl-period-year = this year
pnl-period-all = all time
pnl-since = since { $from }
pnl-since-start = since the first trade
pnl-none = No trades or positions in this period.
pnl-col-symbol = Symbol
pnl-col-realized = Realized
pnl-col-unrealized = Unreal. Δ
pnl-col-fees = Fees
pnl-col-net = Net
pnl-total = Net PnL { $currency }
pnl-breakdown = realized { $realized }, unrealized change { $unrealized }, fees { $fees }

## Errors from brokers, trading, cash and strategies
conversation-expect-text = Please answer with text, or send /cancel.
error-live-trading-not-configured = Live trading with { $broker } is not configured in this installation.
error-broker-order-unknown = The broker does not know order { $ref }.
error-broker-unavailable = The broker could not be reached right now.
error-order-type-unsupported = { $broker } does not support { $type } orders. It takes: { $supported }.
error-tif-unsupported = { $broker } does not support time in force { $tif }. It takes: { $supported }.
error-amount-below-min-quantity = { $amount } { $currency } buys less than the minimum { $min } { $symbol }; you need at least { $minAmount } { $currency }.
error-risk-blocked = A risk policy blocks this order.
error-cash-paper-only = Deposits and withdrawals are only for paper accounts; move live money at your broker.
error-strategy-params-object = Strategy parameters must be a JSON object.
error-strategy-params-size = Strategy parameters are too large (at most { $max } bytes).
error-unknown-strategy = You have no strategy called “{ $ref }”.
field-params = Parameters

## Fill notifications
fill-title-filled = ✅ Filled: { $symbol }
fill-title-partial = ◐ Partly filled: { $symbol }
fill-fee = Fee
fill-order = Order #{ $id }: { $filled } of { $quantity } filled
fill-realized = Realized PnL
fill-position = Position in { $portfolio }
order-confirm-anyway = Confirm anyway
order-use-reduced = Place { $quantity } instead

## /close, /cancelall, /pause, /resume
cmd-close = Close a position (or all) at market, canceling its open orders first
cmd-close-example = /close BTCUSDT · /close all Swing
cmd-cancelall = Cancel every open order of a portfolio
cmd-cancelall-example = /cancelall Swing
cmd-pause = Stop new entries (a portfolio, or all); exits still work
cmd-pause-example = /pause Swing · /pause all · /pause strategy MeanRev
cmd-resume = Allow new entries again
cmd-resume-example = /resume Swing · /resume all · /resume strategy MeanRev
close-usage = Tell me what to close: a symbol or “all”, and optionally the portfolio. For example: /close BTCUSDT, /close all Swing
close-title-all = Close everything in { $portfolio } at market?
close-title-symbol = Close { $symbol } in { $portfolio } at market?
close-strategy = strategy { $name }
close-cancels-first = First { $count } open order(s) are canceled: { $ids }
close-market-note = Market orders fill at the price of the moment, which may differ from the value shown.
close-confirm = Close at market
close-keep = Keep
close-kept = Nothing was changed.
close-nothing-all = { $portfolio } has no open positions or orders: nothing to close.
close-nothing-symbol = You hold no { $symbol } in { $portfolio } and have no open order for it: nothing to close.
close-no-positions = No position was left to close.
cancelall-none = { $portfolio } has no open orders.
cancelall-confirm = Cancel all { $count } open order(s) in { $portfolio }?
cancelall-yes = Cancel them
cancelall-no = Keep them
pause-all-label = all your portfolios
pause-done = ⏸ New entries are paused on { $portfolios }.
pause-already = Entries were already paused on { $portfolios }.
pause-hint = Sells of what you hold, cancels and /close still work. /resume allows entries again.
resume-done = ▶️ Entries are allowed again on { $portfolios }.
resume-already = Entries were not paused on { $portfolios }.
resume-hint = /pause stops new entries again.
order-card-entries-paused = New entries are paused on this portfolio (exits still work)
error-entries-paused = New entries are paused on { $portfolio }: only orders that reduce a position are taken. /resume { $portfolio } allows entries again.

## Why a broker refused or ended an order (short codes stored on the order)
reject-reason-insufficient-balance = the account's balance is too low
reject-reason-lot-size = the quantity is not allowed for this market (minimum or step)
reject-reason-price-filter = the price is outside this market's allowed range or tick
reject-reason-min-notional = the order's value is below the market's minimum
reject-reason-trailing-delta = the trailing distance must be 0.1 % to 20 % in steps of 0.01 %
reject-reason-trail-amount-unsupported = this exchange trails by a percentage only, not by an amount
reject-reason-filter-failure = the exchange's trading rules refuse this order
reject-reason-would-trigger = the stop price has already been reached
reject-reason-would-match = the order would fill at once, and it may only rest on the book
reject-reason-oco-price-relation = the take-profit must be above the last price and the stop-loss below it (for a buy, the other way round)
reject-reason-unknown-symbol = the exchange does not list this symbol
reject-reason-venue-refused = the exchange refused the order
reject-reason-invalid-key = the exchange refused the account's API key (check it with /rotatekey)
reject-reason-expired-ioc = it could not fill at once (immediate-or-cancel)
reject-reason-expired-fok = it could not fill completely at once (fill-or-kill)
reject-reason-self-trade-prevention = it would have traded against your own order
reject-reason-submit-timeout = the broker could not be reached in time, so it was not sent
error-broker-key-rejected = { $broker } refused this account's API key. Check the key and its permissions, then enter it again with /rotatekey.
error-broker-rate-limited = { $broker } asked us to slow down. Try again in { $seconds } s.
## amending an open order (cancel-replace)
cmd-amend = Change an open order's price or quantity
cmd-amend-example = /amend 42 price=2100 qty=0.8
orders-amend = Amend #{ $id }
orders-replaces = replaces #{ $id }
orders-replaced-by = replaced by #{ $id }
amend-usage = Which order, and what to change? For example: /amend 42 price=2100 qty=0.8 (qty is the new total size; a stop order's price is its trigger; for a stop-limit also stop=…). /amend 42 alone asks step by step. Numbers are in /orders.
amend-syntax-unknown-word = I don't know "{ $word }" here: use price=, stop= or qty=.
amend-syntax-needs-number = "{ $word }" needs a number after it.
amend-intro = Amending order #{ $id }: { $order }. The order is canceled and replaced by a new one with the new values (checked first). Send /cancel to stop.
amend-keep = Keep
amend-ask-price = New limit price? Now { $current }.
amend-ask-stop = New trigger price? Now { $current }.
amend-ask-quantity = New total quantity (what already filled included)? Now { $current }, filled { $filled }.
amend-quantity-below-filled = The new total must be more than what already filled ({ $filled }). Try again.
amend-unchanged = Nothing changed: order #{ $id } stays as it is.
amend-replaced = Order #{ $id } amended: replaced by #{ $newId } · { $order }
amend-filled-meanwhile = Order #{ $id } filled { $filled } { $symbol } before the change reached the venue: the replacement is only for the rest.
amend-too-late = Order #{ $id } filled completely before the change reached the venue: nothing was replaced.
amend-refused-after-cancel = Order #{ $id } was canceled, but its replacement was refused: { $reason } Nothing is working in its place now.
amend-not-done = Order #{ $id } was not changed and keeps working as it was: { $reason }
amend-failed = Changing order #{ $id } did not complete: { $reason } Check /orders for where it stands.

## brackets: take-profit and stop-loss attached to an entry
order-card-take-profit = Take-profit
order-card-stop-loss = Stop-loss
order-card-expected-pnl = expected PnL
order-card-bracket-note = Once the order fills, a take-profit limit and a stop-loss stop are placed for the filled quantity; when one fills, the other is canceled.
orders-plan-take-profit = TP { $price }
orders-plan-stop-loss = SL { $price }
orders-leg-take-profit = take-profit of #{ $id }
orders-leg-stop-loss = stop-loss of #{ $id }
orders-leg-pair = OCO pair { $group }
order-bracket = TP / SL
bracket-ask-tp = Take-profit? A price (e.g. 70000) or a percent from the entry (e.g. 5%).
bracket-ask-sl = Stop-loss? A price (e.g. 60000) or a percent from the entry (e.g. 2%).
bracket-skip = Skip
bracket-level-invalid = “{ $value }” is neither a positive price nor a percent like 5%. Try again, or /cancel.
bracket-level-above = { $value } must be above the entry price { $entry }. Try again, or /cancel.
bracket-level-below = { $value } must be below the entry price { $entry }. Try again, or /cancel.
## Broker names that are ours to translate (exchanges keep their own names)
broker-name-paper = Paper trading (simulated)
