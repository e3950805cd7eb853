# Schedules and reports: /newschedule, /schedules, /report, scheduled report texts and charts.

## commands
cmd-newschedule = Schedule a report or a screener run
cmd-newschedule-example = /newschedule
cmd-schedules = Your schedules: next runs, pause, run now, delete
cmd-schedules-example = /schedules
cmd-report = Portfolio summary now, with a chart
cmd-report-example = /report Main month

## fields and entities in error messages
field-scheduleCron = Schedule
field-scheduleChat = Chat
field-scheduleScreener = Screener
field-scheduleTarget = Report
entity-schedule = schedule

## errors
error-schedule-cron-empty = Type a cron expression of five fields, for example { $example } (09:00 on weekdays).
error-schedule-cron-invalid = “{ $cron }” is not a valid cron expression: { $problem ->
        [count] it has { $count } { $count ->
            [one] field
           *[other] fields
        }
        [length] it is longer than { $max } characters
        [field] { $field ->
            [minute] the minute (0–59)
            [hour] the hour (0–23)
            [day] the day of the month (1–31)
            [month] the month (1–12 or JAN–DEC)
           *[weekday] the day of the week (0–7 or MON–SUN)
        } cannot be “{ $value }”
       *[other] its fields do not make a schedule together
    }. Five fields are expected — minute hour day-of-month month day-of-week — for example { $example } (09:00 on weekdays).
error-schedule-cron-never = “{ $cron }” never runs (there is no such date). Try for example { $example } (09:00 on weekdays).
error-schedule-cron-too-frequent = “{ $cron }” runs more often than every { $minutes } minutes, which would flood the chat. Try for example { $example } (09:00 on weekdays).
error-schedule-time-zone-invalid = “{ $value }” is not a time zone I know. Use an IANA name such as { $example }.
error-schedule-preset-unknown = “{ $value }” is not one of the offered schedules.
error-schedule-name-taken = You already have a schedule called “{ $name }”. Choose another name.
error-schedule-limit = You have reached the limit of { $max } schedules. Delete one with /schedules first.
error-schedule-not-found = That schedule ({ $ref }) does not exist or is not yours.
error-schedule-target-invalid = That report cannot be scheduled: choose a portfolio summary, a PnL report or a screener.
error-schedule-screener-unknown = Screener { $ref } does not exist or is not yours.
error-schedule-screeners-unavailable = Screener runs cannot be scheduled in this installation.
error-schedule-chat-unavailable = That chat is not one of your active chats. Link a group with the bot first, or choose your private chat.
error-schedule-config-corrupt = Schedule { $id } is damaged and cannot run; delete it and create it again.

## what, when, where
schedule-kind-summary = Portfolio summary
schedule-kind-pnl = PnL report
schedule-kind-screener = Screener run
schedule-preset-weekdays = Weekdays at 09:00
schedule-preset-mondays = Mondays at 09:00
schedule-preset-hourly = Every hour
schedule-preset-evenings = Every day at 18:00
schedule-target-gone = (deleted)
schedule-dest-private = private chat
schedule-dest-untitled = untitled chat
schedule-dest-inactive = inactive
schedule-dest-none = no chat

## /newschedule
schedule-ask-kind = What should be scheduled?
schedule-ask-kind-again = Please choose with the buttons above, or send /cancel.
schedule-ask-portfolio = Which portfolio?
schedule-ask-portfolio-again = Please choose a portfolio with the buttons above, or send /cancel.
schedule-ask-screener = Which screener?
schedule-ask-screener-again = Please choose a screener with the buttons above, or send /cancel.
schedule-ask-period = Over which period?
schedule-ask-period-again = Please choose a period with the buttons above, or send /cancel.
schedule-need-portfolio = You have no portfolio yet. Create one with /newportfolio, then schedule its reports.
schedule-need-screener = You have no screeners yet. Create one first, then schedule it.
schedule-ask-when = When should it run? Times are in your time zone ({ $zone }).
schedule-ask-when-again = Please choose with the buttons above, type a cron expression, or send /cancel.
schedule-custom-cron = Custom cron expression
schedule-ask-cron = Type a cron expression: minute hour day-of-month month day-of-week, in your time zone ({ $zone }). For example:
schedule-cron-example-meaning = 09:00 on weekdays
schedule-ask-cron-again = Type the expression again, or send /cancel.
schedule-cron-preview = It will run:
schedule-next-runs = Next runs:
schedule-confirm-cron = Use this schedule?
schedule-confirm-yes = Use it
schedule-confirm-change = Change
schedule-confirm-again = Please confirm or change with the buttons above, or send /cancel.
schedule-ask-chat = Where should the reports go?
schedule-ask-chat-again = Please choose a chat with the buttons above, or send /cancel.
schedule-ask-name = Name the schedule (or take the suggestion):
schedule-ask-name-again = Type another name, or send /cancel.
schedule-saved = Saved “{ $name }”.
schedule-saved-hint = See and manage your schedules with /schedules.

## /schedules
schedules-title = Your schedules ({ $count }) · page { $page }/{ $pages }
schedules-none = You have no schedules yet. Create one with /newschedule.
schedules-next = Next run: { $time }
schedules-no-next = No future run.
schedules-paused = Paused.
schedules-btn-pause = ⏸ Pause #{ $n }
schedules-btn-resume = ▶️ Resume #{ $n }
schedules-btn-run = 🚀 Run #{ $n }
schedules-btn-delete = 🗑 #{ $n }
schedules-paused-done = Paused “{ $name }”.
schedules-resumed-done = Resumed “{ $name }”.
schedules-delete-confirm = Delete the schedule “{ $name }”? Reports already sent stay.
schedules-delete-yes = Delete
schedules-delete-keep = Keep
schedules-deleted = Deleted “{ $name }”.
schedules-run-queued = “{ $name }” is on its way: the report arrives in a moment.
schedules-run-not-queued = “{ $name }” was already sent this minute, or its chat does not accept reports (muted, or set to warnings only).
schedules-run-no-chat = This schedule's chat is not active any more. The bot must be back in that chat first.

## reports
report-summary-title = 📊 { $portfolio } — summary
report-pnl-title = 💰 { $portfolio } — PnL, { $period }
report-screener-title = 🔎 Screener “{ $screener }”
report-as-of = As of { $time } ({ $zone })
report-period-yesterday = yesterday
report-period-today = today
report-period-week = this week
report-period-month = this month
report-period-year = this year
report-period-all = all time
report-section-value = Value
report-section-pnl = PnL
report-section-positions = Positions
report-section-movers = Biggest movers today (UTC day)
report-section-orders = Open orders ({ $count })
report-col-positions = Positions
report-col-cash = Cash
report-col-total = Total
report-col-symbol = Symbol
report-col-qty = Qty
report-col-last = Last
report-col-value = Value
report-col-unrealized = Unreal.
report-col-realized = Realized
report-col-fees = Fees
report-col-net = Net
report-empty-portfolio = Nothing held yet.
report-no-positions = No open positions.
report-no-orders = No open orders.
report-no-pnl = No PnL in this period.
report-more = … and { $count } more
report-since = Since { $from }
report-since-start = Since the first trade
report-pnl-total = Net PnL { $currency }
report-pnl-breakdown = realized { $realized }, unrealized { $unrealized }, fees { $fees }
report-section-performance = Performance, { $period }
report-perf-value = Value: { $start } → { $end } { $currency }
report-perf-flows = Net deposits/withdrawals: { $net } { $currency }
report-perf-flows-both = Net deposits/withdrawals: { $net } { $currency } (deposits { $deposits }, withdrawals { $withdrawals })
report-perf-return = Return (time-weighted): { $twr }
report-perf-profit = Profit: { $profit } { $currency }
report-section-exchange = At { $broker } (the account's balances, as it reports them)
report-exchange-cash = Cash: { $cash }
report-exchange-equity = Equity: { $equity }
report-exchange-unpriced = Not valued (no quote): { $assets }
report-exchange-no-history = Deposits and withdrawals happen at { $broker }, so a live account's value over time and its return are not computed here.
report-screener-summary = { $matches } matches among { $scanned } instruments.
report-screener-none = Nothing matches right now.
report-prices-synthetic = synthetic prices
report-cash = Cash
report-other = Other
report-chart-equity = Portfolio value, { $currency } ({ $period })
report-chart-allocation = Allocation, { $currency }
report-catch-up = Catch-up: this report was due at { $due } while the bot was offline.
report-catch-up-skipped = { $count ->
    [one] One earlier run was skipped.
   *[other] { $count } earlier runs were skipped.
}
report-run-now-note = Run on request.
report-schedule-next = next run { $time }
report-schedule-no-next = no further runs
report-failed-title = ⚠️ Schedule “{ $name }” could not run
report-failed-unexpected = The report could not be built this time because of an internal error. It will be tried again at the next run.
