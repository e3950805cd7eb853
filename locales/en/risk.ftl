# Risk: policies, pre-trade checks, breaches, the risk watch

cmd-risk = Risk limits of a portfolio: usage and latest breaches
cmd-risk-example = /risk Main
cmd-newpolicy = Set up a risk policy step by step
cmd-newpolicy-example = /newpolicy
cmd-policy = Delete, pause or resume a risk policy
cmd-policy-example = /policy pause 12
cmd-userpolicy = A user's risk policies, and a new one for them (admin)
cmd-userpolicy-example = /userpolicy @trader

## Rules and actions
risk-rule-max-risk-per-trade = Risk per trade
risk-rule-max-exposure-pct = Exposure per asset (% of equity)
risk-rule-max-exposure-abs = Exposure per asset (amount)
risk-rule-daily-loss = Daily loss
risk-rule-max-leverage = Leverage
risk-rule-max-orders = Orders per day
risk-rule-min-cash-pct = Minimum cash (% of equity)
risk-rule-min-cash-abs = Minimum cash (amount)
risk-currency-any = in each portfolio's currency
risk-action-warn = warn
risk-action-reduce = reduce the size
risk-action-block = block
risk-limit-max = max { $value }
risk-limit-min = at least { $value }
risk-closes-positions = closes positions
risk-scope-user = me (each of my portfolios)
risk-scope-portfolio = portfolio { $name }
risk-scope-strategy = strategy { $name }

## /risk
risk-title = 🛡 Risk — { $portfolio } ({ $currency })
risk-equity-line = Equity { $equity } · cash { $cash } · today { $pnl } ({ $pct })
risk-note-excluded = Not counted, as they are not converted to { $currency }: { $positions }
risk-note-currency = Size limits not checked: { $symbol } is quoted in { $orderCurrency }, the portfolio in { $portfolioCurrency }.
risk-no-policies = No risk policy applies here yet. Add one with /newpolicy.
risk-no-policies-user = No risk policies yet.
risk-paused = paused
risk-managed = set by an admin
risk-usage = { $observed } of { $limit } ({ $used } %)
risk-usage-limit-only = max { $limit }
risk-latest-breaches = Latest breaches
risk-new-policy = New policy
risk-new-user-policy = New policy for this user
risk-user-title = Risk policies of { $name }
risk-breach-blocked = blocked
risk-breach-warned = warned
risk-breach-reduced = reduced
risk-breach-closed = positions closed
risk-observed-vs-limit = { $observed } (limit { $limit })
risk-no-equity = no positive equity to measure against (limit { $limit })
risk-policy-usage = Use /policy delete ID, /policy pause ID or /policy resume ID (the ID is shown in /risk).
risk-deleted = Policy “{ $name }” (#{ $id }) deleted.
risk-paused-done = Policy “{ $name }” (#{ $id }) paused.
risk-resumed = Policy “{ $name }” (#{ $id }) is active again.
risk-paused-short = Paused.
risk-resumed-short = Active again.
risk-deleted-short = Deleted.
risk-delete-confirm = Delete policy “{ $name }” (#{ $id })?
risk-delete-yes = Yes, delete
risk-delete-no = Keep it
risk-userpolicy-usage = Use /userpolicy followed by a Telegram id or @username.

## The order card
risk-outcome-allow = ✅ Within your risk limits.
risk-outcome-warn = ⚠️ This order breaks a risk limit. Confirm to place it anyway.
risk-outcome-reduce = ✂️ Reduced from { $requested } to { $quantity } { $symbol } to fit your risk limits.
risk-outcome-block = ⛔ Blocked by your risk limits.
risk-reduce-too-small = no smaller size fits

## Notifications
risk-notice-blocked = Order blocked by a risk limit
risk-notice-reduced = Order reduced by a risk limit
risk-notice-warned = Risk warning on an order
risk-notice-closed = Positions closed: daily loss limit
risk-notice-watch = Risk limit breached
risk-notice-portfolio = Portfolio: { $name }
risk-notice-order = Order: { $side } { $quantity } { $symbol }
risk-notice-reduced-to = Placed as { $quantity } { $symbol }
risk-closed-ok = { $order } — order #{ $id }
risk-closed-failed = { $order } — not closed: { $reason }
risk-notice-see = Details: /risk

## The policy conversation
risk-ask-scope = Where should the policy apply?
risk-press-button = Please choose with one of the buttons above, or send /cancel.
risk-default-name = Limits for { $scope }
risk-ask-name = Name the policy, or keep “{ $name }”.
risk-use-name = Use “{ $name }”
risk-ask-max-risk-per-trade = The most one order may put at risk, in % of equity: the distance to your stop times the size, or the whole order value without a stop. Press a value, type one, or skip.
risk-ask-max-exposure-pct = The largest position in one instrument after an order, in % of equity.
risk-ask-max-exposure-abs = The largest position in one instrument after an order, as an amount in the portfolio's currency.
risk-ask-daily-loss = The most you may lose in a day (realized and unrealized, since your midnight), in % of the day's starting equity.
risk-ask-max-leverage = The most your positions together may be worth, as a multiple of equity (1 = no leverage).
risk-ask-max-orders = How many orders a day you may place in a portfolio.
risk-ask-min-cash-pct = The cash a buy must leave, in % of equity.
risk-ask-min-cash-abs = The cash a buy must leave, as an amount in the portfolio's currency.
risk-current = Now: { $value }
risk-keep = Keep
risk-skip = Skip
risk-remove = Remove
risk-done = Done
risk-value-again = Press a value, type a number, or press Skip or Done.
risk-ask-action = { $rule }: { $value }. What should happen to an order that breaks it?
risk-ask-close = When the daily loss limit is breached, should I also close the positions with market orders?
risk-close-yes = Yes, close them
risk-close-no = No, just tell me
risk-nothing-set = No rule was set, so nothing was saved.
risk-confirm = Save this policy?
risk-save = Save
risk-drop = Drop
risk-created = Policy #{ $id } saved.
risk-updated = Policy #{ $id } updated.
risk-see-risk = See it with its current usage in /risk.

## Field and entity names
field-config = Policy
field-scope = Scope
field-maxRiskPerTradePct = Risk per trade
field-maxExposurePerAssetPct = Exposure per asset (%)
field-maxExposurePerAssetAbs = Exposure per asset (amount)
field-dailyLossLimitPct = Daily loss limit
field-maxLeverage = Leverage
field-maxOrdersPerDay = Orders per day
field-minCashPct = Minimum cash (%)
field-minCashAbs = Minimum cash (amount)
entity-policy = risk policy

## Errors
error-risk-max-risk-per-trade = This order puts { $observed } % of equity at risk; your limit is { $limit } %.
error-risk-max-exposure-pct = After this order { $symbol } would be { $observed } % of equity; your limit is { $limit } %.
error-risk-max-exposure-abs = After this order { $symbol } would be worth { $observed } { $currency }; your limit is { $limit } { $currency }.
error-risk-daily-loss = Today's loss is { $observed } % of the day's starting equity; your limit is { $limit } %. Only orders that reduce a position are allowed today.
error-risk-max-leverage = After this order your positions would be worth { $observed }× equity; your limit is { $limit }×.
error-risk-max-orders = This would be order number { $observed } today; your limit is { $limit } a day.
error-risk-min-cash-pct = After this buy cash would be { $observed } % of equity; you keep at least { $limit } %.
error-risk-min-cash-abs = After this buy cash would be { $observed } { $currency }; you keep at least { $limit } { $currency }.
error-risk-no-equity = The portfolio has no positive equity ({ $equity } { $currency }), so no new position fits your risk limits.
error-risk-reduce-too-small = This order breaks your risk limits, and no smaller size fits them (the minimum for { $symbol } is { $min }).
error-risk-config-object = A policy is a set of rules, each with a limit and an action (warn, reduce or block).
error-risk-unknown-rule = “{ $name }” is not a risk rule. The rules are: maxRiskPerTradePct, maxExposurePerAssetPct, maxExposurePerAssetAbs, dailyLossLimitPct, maxLeverage, maxOrdersPerDay, minCashPct, minCashAbs.
error-risk-unknown-key = { $fieldName }: “{ $name }” is not a setting (use limit, action and closePositions).
error-risk-rule-object = { $fieldName } needs a limit and an action.
error-risk-limit-required = { $fieldName } needs a limit.
error-risk-action-required = { $fieldName } needs an action: warn, reduce or block.
error-risk-action-invalid = { $fieldName }: { $value } is not an action; use warn, reduce or block.
error-risk-close-flag = { $fieldName }: closePositions must be true or false.
error-risk-limit-pct = { $fieldName } must be above { $min } % and at most { $max } % (got { $value }).
error-risk-limit-leverage = { $fieldName } must be from { $min } to { $max } (got { $value }).
error-risk-limit-count = { $fieldName } must be from { $min } to { $max } (got { $value }).
error-risk-limit-whole = { $fieldName } must be a whole number (got { $value }).
error-risk-reduce-not-applicable = { $fieldName } cannot be met by a smaller order, so “reduce” does not apply: use warn or block.
error-risk-close-not-applicable = { $fieldName } cannot close positions; only the daily loss limit can.
error-risk-no-rules = A policy needs at least one rule.
error-risk-min-cash-one-of = Set the minimum cash either as a percent or as an amount, not both.
error-risk-policy-managed = An admin set this policy for you; only an admin can change it.
error-risk-scope-id-required = Say which { $scope } the policy is for.
error-risk-scope-invalid = “{ $value }” is not a scope; use USER, PORTFOLIO or STRATEGY.
error-risk-too-many-policies = You already have { $max } policies. Delete one first.
error-risk-user-scope-self = A user-wide policy can only be set on yourself; admins use /userpolicy for others.
