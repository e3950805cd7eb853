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
