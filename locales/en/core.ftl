# TradeDesk — English

## Access
access-pending = Your access request is waiting for an admin's approval. You will get a message as soon as it is decided. Meanwhile only /start and /help work.
access-revoked = Your access has been revoked by an admin. Only /start and /help work. Ask an admin if you think this is a mistake.
access-rejected = Your access request was declined. You can apply again with /start from { $when }. Until then only /start and /help work.
access-rejected-reapply = Your earlier access request was declined. Send /start to apply again.
access-visitor = You have not applied for access yet. Send /start to apply.
access-admin-only = This is for admins only.
command-private-only = Please use /{ $command } in a private chat with me.
rate-limited = Slow down a little — too many requests. Try again in a few seconds.
format-locale = en
button-stale = This button is no longer valid.
button-not-yours = This button belongs to someone else: only the person it was made for can use it.
unknown-command = I don't know /{ $command }. Send /help to see what I can do.
free-text-hint = I'm not sure what to do with that. Send /help to see the commands.
conversation-canceled = Canceled. Nothing was changed.
conversation-canceled-flow = Canceled { $flow }. Nothing was changed.
conversation-left = I stopped { $flow } (nothing from it was saved) to run /{ $command }.
flow-onboarding = your application
flow-settings-time-zone = choosing a time zone
flow-new-account = adding an account
flow-new-portfolio = creating a portfolio
flow-rename-portfolio = renaming the portfolio
flow-order-entry = the order you were entering
flow-new-schedule = creating a schedule
flow-new-alert = creating an alert
flow-new-screener = creating a screener
flow-risk-policy = the risk policy you were editing
flow-new-strategy = creating a strategy
flow-generic = what we were doing

## Start and help
start-admin = Hello, { $name }! You are an admin.
start-user = Hello, { $name }! Here is what you can do.
help-title = Commands
help-example = Example
help-group-trading = Trading
help-group-portfolio = Portfolio & money
help-group-reports = Reports
help-group-risk = Risk
help-group-strategies = Strategies
help-group-alerts = Alerts & screeners
help-group-schedules = Schedules
help-group-settings = Settings & notifications
help-group-admin = Admin
help-footer = Prices from the offline source are synthetic. Tap a command or type it.
help-footer-pending = More commands become available once an admin approves your access.
help-footer-visitor = Send /start to apply for access; the other commands open once an admin approves it.

cmd-start = Start, or see where your access stands
cmd-start-example = /start
cmd-help = All commands you can use, with examples
cmd-help-example = /help
cmd-settings = Language, time zone and default portfolio
cmd-settings-example = /settings
cmd-users = Users: approve, deactivate, promote (admin)
cmd-users-example = /users
cmd-pending = Access requests waiting for a decision (admin)
cmd-pending-example = /pending

## Onboarding
onboarding-welcome = Welcome to TradeDesk — a trading assistant for a small group of traders: portfolios, orders, positions and PnL, risk limits, alerts and scheduled reports, right here in Telegram. Access is approved by an admin.
onboarding-choose-language = First, choose your language:
onboarding-press-button = Please choose with one of the buttons above.
onboarding-time-zone = Which time zone are you in? Days, reports and PnL periods follow it. Press a button or type a zone such as Europe/Berlin.
onboarding-time-zone-invalid = “{ $value }” is not a time zone I know. Type an IANA zone such as { $example }, or press a button.
onboarding-time-zone-again = Please press one of the buttons or type a time zone such as Europe/Berlin.
onboarding-note = Time zone set to { $zone }. Anything the admin should know (who you are, how you trade)? Send a short note, or press Skip.
onboarding-skip = Skip
onboarding-note-again = Please send the note as text, or press Skip.
onboarding-submitted = Thank you! Your request has been sent to the admins. I will message you as soon as it is decided.

## Approvals
approval-request-title = New access request
approval-field-name = Name
approval-field-username = Username
approval-field-id = Telegram id
approval-field-language = Language
approval-field-time-zone = Time zone
approval-field-note = Note
approval-approve = ✅ Approve
approval-reject = ✖️ Reject
approval-done-approved = Approved.
approval-done-rejected = Rejected.
approval-status-approved = ✅ Approved ({ $when })
approval-status-rejected = ✖️ Rejected
approval-status-pending = ⏳ Waiting for a decision
approval-approved-title = Access approved
approval-approved-body = Welcome aboard! Send /help to see everything you can do, or /settings to adjust your language and time zone.
approval-rejected-title = Access request declined
approval-rejected-body = An admin declined your access request.

## Admin: users
users-title = Users — { $filter }
users-summary = { $total } shown · { $active } of { $max } active seats used · page { $page }/{ $pages }
users-empty = Nobody here.
users-filter-all = all
users-filter-pending = pending
users-filter-active = active
users-filter-inactive = inactive
users-filter-admins = admins
users-back = « Back to the list
users-deactivate = ⛔ Deactivate
users-reactivate = ♻️ Reactivate
users-promote = ⭐ Make admin
users-demote = Remove admin
users-field-status = Status
users-field-approved = Approved
users-status-pending = pending
users-status-approved = approved
users-status-rejected = rejected
users-status-inactive = deactivated
users-status-admin = admin
users-status-blocked = has blocked the bot
users-done-ap = Approved.
users-done-rj = Rejected.
users-done-de = Deactivated.
users-done-re = Reactivated.
users-done-pr = Now an admin.
users-done-dm = No longer an admin.
users-confirm-rj = Reject the access request of { $name }? They will be told, and may apply again after 24 hours.
users-confirm-rj-yes = ✖️ Yes, reject
users-confirm-de = Deactivate { $name }? They lose access at once (their data is kept) and will be told.
users-confirm-de-yes = ⛔ Yes, deactivate
users-confirm-re = Reactivate { $name }? They get their access back and will be told.
users-confirm-re-yes = ♻️ Yes, reactivate
users-confirm-pr = Make { $name } an admin? Admins approve users and see every user's status.
users-confirm-pr-yes = ⭐ Yes, make admin
users-confirm-dm = Remove admin rights from { $name }? They keep their own access.
users-confirm-dm-yes = Yes, remove admin
users-confirm-no = « No, go back
access-change-de-title = Access paused
access-change-de-body = An admin deactivated your access. Your data is kept; only /start and /help work until an admin reactivates you.
access-change-re-title = Access restored
access-change-re-body = An admin reactivated your access. Send /help to see what you can do.
access-change-pr-title = You are now an admin
access-change-pr-body = An admin gave you admin rights: /users and /pending list the people and their requests.
access-change-dm-title = Admin rights removed
access-change-dm-body = An admin removed your admin rights. Your own access is unchanged.

## Settings
settings-title = ⚙️ Settings
settings-language = Language
settings-time-zone = Time zone
settings-default-portfolio = Default portfolio
settings-none = none yet
settings-from-telegram = from Telegram
settings-back = Back
settings-other-zone = Other…
settings-type-zone = Type your time zone, for example { $example }. Send /cancel to keep the current one.
settings-type-zone-again = Please type the time zone as text, or /cancel.
settings-zone-saved = Time zone set to { $zone } ({ $offset }).
settings-no-portfolios = No portfolios yet
settings-no-portfolios-hint = Create one first with /newportfolio.

## Field and entity names (used inside error messages)
field-quantity = Quantity
field-price = Price
field-stopPrice = Stop price
field-takeProfit = Take-profit
field-stopLoss = Stop-loss
field-trail = Trailing distance
field-trailAmount = Trailing amount
field-trailPercent = Trailing percent
field-symbol = Symbol
field-side = Side
field-type = Order type
field-timeInForce = Time in force
field-name = Name
field-broker = Broker
field-baseCurrency = Currency
field-currency = Currency
field-openingBalance = Opening balance
field-secretRef = API key reference
field-testnet = Testnet
field-amount = Amount
field-portfolio = Portfolio
field-feeValue = Fee value
field-fee = Fee
field-brokerTradeId = Trade id
field-brokerOrderId = Broker order id
field-clientOrderId = Client order id
field-execTime = Execution time
field-language = Language
field-timeZone = Time zone
entity-portfolio = portfolio
entity-account = account
entity-order = order
entity-instrument = instrument
entity-user = user
entity-strategy = strategy
entity-strategy-instance = running strategy

## Errors
error-unexpected = Sorry, something went wrong on my side. Nothing was changed. (ref { $ref })
error-not-found = That { $entityName } ({ $ref }) does not exist or is not yours.
error-conflict = { $fieldName } is already taken.
error-access-pending = Your access is still waiting for approval.
error-access-revoked = Your access has been revoked.
error-admin-only = Only admins can do that.
error-not-a-number = { $fieldName }: “{ $value }” is not a number. Write digits with a dot or a comma, e.g. 1000.50, 1,000.50, 1 000,50 or 0.25.
error-number-ambiguous = { $fieldName }: “{ $value }” can be read two ways (a thousand, or a decimal comma?). Write 1000 or 1 000 for a thousand, 1.5 or 1,5 for a fraction.
error-number-too-large = { $fieldName } is too large: at most { $max }.
error-must-be-positive = { $fieldName } must be greater than zero (got { $value }).
error-must-not-be-negative = { $fieldName } must not be negative (got { $value }).
error-too-many-decimals = { $fieldName } has too many decimal places (at most { $max }).
error-too-long = { $fieldName } is too long (at most { $max } characters).
error-field-required = { $fieldName } is required for a { $type } order.
error-field-not-allowed = { $fieldName } does not apply to a { $type } order.
error-invalid-side = { $fieldName }: “{ $value }” is not BUY or SELL.
error-invalid-type = { $fieldName }: “{ $value }” is not an order type (market, limit, stop, stop-limit, trailing).
error-invalid-tif = { $fieldName }: “{ $value }” is not one of GTC, IOC, FOK, DAY.
error-invalid-time = { $fieldName } is not a valid time.
error-unknown-symbol = I don't know the symbol “{ $symbol }”.{ $suggestions ->
    [none] {""}
   *[other] {" "}Did you mean { $suggestions }?
}
error-symbol-ambiguous = “{ $symbol }” trades on several exchanges; add one, e.g. { $symbol }@BINANCE.
error-quantity-lot = { $fieldName } { $value } is not a multiple of the lot size { $lot } for { $symbol }.
error-quantity-min = { $fieldName } { $value } is below the minimum { $min } for { $symbol }.
error-price-tick = { $fieldName } { $value } is not on the tick size { $tick } for { $symbol }.
error-notional-too-large = The order value (quantity × price) is too large for { $symbol }: at most { $max }.
error-min-notional = The order value { $notional } is below the minimum { $min } for { $symbol }.
error-buy-stop-below-market = A buy stop must be above the market: stop { $stop }, market { $market }.
error-sell-stop-above-market = A sell stop must be below the market: stop { $stop }, market { $market }.
error-buy-limit-below-stop = For a buy stop-limit the limit ({ $price }) must be at or above the stop ({ $stop }).
error-sell-limit-above-stop = For a sell stop-limit the limit ({ $price }) must be at or below the stop ({ $stop }).
error-trail-one-of = A trailing stop needs either an amount or a percent, not both.
error-trail-percent-range = The trailing percent must be above 0 and below 100 (got { $value }).
error-client-order-id-invalid = The client order id may use letters, digits and . _ : - (at most { $max }).
error-duplicate-client-order-id = An order with this client order id already exists.
error-order-transition = An order cannot go from { $from } to { $to }.
error-order-not-open = { $statusCode ->
        [CANCELED] Order #{ $id } is already canceled.
        [FILLED] Order #{ $id } is already filled: nothing is left to cancel.
        [EXPIRED] Order #{ $id } has already expired.
        [REJECTED] Order #{ $id } was rejected, so it never worked.
       *[other] Order #{ $id } is { $status } and can no longer be canceled.
    }
error-unknown-order = There is no order { $ref } in your portfolios.
error-broker-order-id-mismatch = The broker reported a different order id for this order.
error-overfill = That fill would take order #{ $order } to { $filled }, more than its quantity { $quantity }.
error-fee-exceeds-quantity = A fee of { $fee } { $asset } taken from a buy of { $quantity } would leave nothing bought.
error-fill-side-mismatch = The fill's side does not match its order.
error-fill-instrument-mismatch = The fill's symbol does not match its order.
error-no-cash-in-currency = { $symbol } trades in { $currency }, and { $portfolio } holds no { $currency }: its account is in { $base }. Trade it from a portfolio on a { $currency } account (/newaccount, then /newportfolio), or put { $currency } into { $portfolio } with /deposit 1000 { $currency } { $portfolio }.
error-insufficient-cash = Not enough cash: { $available } { $currency } available, { $required } { $currency } needed.
error-short-not-allowed = You hold { $held } { $asset } in this position; a spot account cannot sell more than it holds (no short selling). Free to sell: { $free } { $asset }.
error-short-committed = You hold { $held } { $asset } ({ $committed } committed to open sell orders); a spot account cannot sell more than it holds (no short selling). Free to sell: { $free } { $asset }.
error-insufficient-free-cash = Not enough free cash in { $portfolio }: { $available } { $currency } free, { $required } { $currency } needed. Of its { $balance } { $currency } cash, { $reserved } { $currency } is reserved by { $orders ->
        [one] one open buy order
       *[other] { $orders } open buy orders
    }; cancel one to free its cash.
error-cash-not-free = { $portfolio } has { $free } { $currency } free, less than the { $requested } { $currency } asked for. { $orders ->
        [0] Its cash is { $balance } { $currency }.
       *[other] Of its { $balance } { $currency } cash, { $reserved } { $currency } is reserved by { $orders ->
            [one] one open buy order
           *[other] { $orders } open buy orders
        }; cancel one to free its cash.
    }
error-transfer-same-portfolio = Both sides of the transfer are { $name }: name two different portfolios.
error-transfer-other-account = { $from } is on account { $fromAccount } and { $to } on { $toAccount }: cash moves only between portfolios of the same account. Withdraw from one and deposit to the other instead.
error-unknown-broker = “{ $value }” is not a broker I know.
error-opening-balance-paper-only = Only paper accounts start with a cash balance; live balances come from the broker.
error-paper-no-secret = Paper accounts need no API key.
error-paper-no-testnet = Paper accounts have no testnet: the paper broker never uses real money.
error-currency-unknown = { $value } is not a currency this account can hold. Use one of: { $allowed }.
error-balance-too-large = This deposit would take the { $currency } balance above { $max }.
error-currency-invalid = “{ $value }” is not a currency code (2–10 letters, e.g. USD or USDT).
error-account-name-taken = You already have an account called “{ $name }”.
error-account-has-portfolios = This account still has { $count } portfolio(s). Delete them first.
error-portfolio-name-taken = You already have a portfolio called “{ $name }”.
error-portfolio-not-flat = Portfolio “{ $name }” still has { $positions } open position(s) and { $orders } open order(s), so it cannot be deleted. Cancel the orders and close the positions first; its history is kept either way.
error-portfolio-archived = Portfolio “{ $name }” is archived: its history can be read, but it takes no new orders or settings.
error-portfolio-has-cash = Portfolio “{ $name }” still holds { $amount } { $currency }. Move it to another portfolio with /transfer or take it out with /withdraw first.
error-unknown-portfolio = You have no portfolio called “{ $ref }”.
error-no-portfolio = You have no portfolio yet. Create one with /newportfolio.
error-name-empty = { $fieldName } must not be empty.
error-name-invalid = { $fieldName } contains characters that are not allowed.
error-name-too-long = { $fieldName } is too long (at most { $max } characters).
error-invalid-time-zone = “{ $value }” is not a time zone I know. Use an IANA name such as { $example }.
error-unsupported-language = “{ $value }” is not available; choose one of { $supported }.
error-user-cap = The user limit ({ $max } active users) is reached. Deactivate someone first.
error-already-approved = { $name } is already approved.
error-reapply-too-early = You can apply again from { $at }.
error-not-pending = { $name } is not waiting for a decision (status: { $status }).
error-already-active = { $name } is already active.
error-already-inactive = { $name } is already deactivated.
error-already-admin = { $name } is already an admin.
error-not-admin = { $name } is not an admin.
error-promote-unapproved = Only approved, active users can become admins.
error-cannot-deactivate-self = You cannot deactivate yourself.
error-last-admin = That would leave no admin. Make someone else an admin first.
error-amend-type = Order #{ $id } cannot be amended: only limit, stop, stop-limit and trailing orders can.
error-amend-native-oco = Order #{ $id } is one half of an OCO pair the exchange links: it cannot be changed on its own. Cancel it (the exchange cancels its partner too) and place a new bracket.
error-amend-no-price = This order has no limit price to change.
error-amend-no-stop = This order has no trigger price to change.
error-amend-nothing = Nothing to change: order #{ $id } already has these values.
error-amend-below-filled = Order #{ $id } already filled { $filled }: the new total { $quantity } must be more than that.
error-bracket-tp-below-entry = The take-profit { $price } must be above the entry price { $entry } for a buy.
error-bracket-tp-above-entry = The take-profit { $price } must be below the entry price { $entry } for a sell.
error-bracket-sl-above-entry = The stop-loss { $price } must be below the entry price { $entry } for a buy.
error-bracket-sl-below-entry = The stop-loss { $price } must be above the entry price { $entry } for a sell.
error-bracket-percent = A take-profit or stop-loss percent must be above 0 (and a stop-loss below 100): “{ $value }”.
