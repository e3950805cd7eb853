# Статистика сделок: /profit, /performance, /stats, /daily, /weekly, /monthly, /export

cmd-profit = Прибыль: реализованная и нереализованная, доходность без учёта пополнений, доля прибыльных, просадка
cmd-profit-example = /profit month Swing
cmd-daily = PnL, закрытые сделки и доходность за последние дни, с графиком (по умолчанию 7, до 60)
cmd-daily-example = /daily 14
cmd-weekly = То же за последние недели (по умолчанию 8, до 60)
cmd-weekly-example = /weekly 12 Swing
cmd-monthly = То же за последние месяцы (по умолчанию 6, до 60)
cmd-monthly-example = /monthly 12
cmd-performance = Реализованный PnL, закрытые сделки и доля прибыльных по инструментам, лучшие сверху
cmd-performance-example = /performance year
cmd-stats = Прибыльные и убыточные сделки: средние, время удержания, причины закрытия
cmd-stats-example = /stats week Swing
cmd-export = Ваши сделки или ордера за период файлом CSV
cmd-export-example = /export trades month Swing

reports-unknown-word = «{ $word }» — не { $expected } и не ваш портфель ({ $portfolios }).
reports-expect-period = период ({ $periods })
reports-expect-count = число периодов от 1 до { $max }
reports-expect-export = trades, orders (сделки, ордера), не период ({ $periods })
reports-no-trades = В этом периоде сделок пока нет.
reports-no-closed-trades = В этом периоде закрытых сделок пока нет: сделка считается, когда позиция вернулась к нулю.
field-periods = Число периодов
error-history-periods-range = Укажите целое число периодов от 1 до { $max }.

profit-usage = Формат: /profit [today|yesterday|week|month|year|all] [портфель], например /profit week Swing
profit-title = 💰 Прибыль — { $portfolio } — { $period }
profit-realized = Реализовано (после комиссий)
profit-unrealized = Нереализовано ({ $count ->
    [one] { $count } открытая позиция
    [few] { $count } открытые позиции
   *[other] { $count } открытых позиций
  })
profit-value-change = Прибыль (изменение стоимости без пополнений и выводов)
profit-roi = Доходность (взвешенная по времени)
profit-trades = Закрытые сделки: { $trades } (прибыльных { $wins }, убыточных { $losses })
profit-win-rate = доля прибыльных
profit-factor = Профит-фактор
profit-avg-hold = Среднее время удержания
profit-no-closed = Закрытых сделок пока нет
profit-best = Лучший
profit-worst = худший
profit-drawdown = Макс. просадка

performance-usage = Формат: /performance [today|yesterday|week|month|year|all] [портфель]
performance-title = 🏁 Результаты по инструментам — { $portfolio } — { $period }
performance-col-symbol = Инстр.
performance-col-pnl = Реализ.
performance-col-trades = Сделки
performance-col-win = Приб. %
performance-note = Реализ.: что реализовали исполнения периода, после их комиссий. Сделки: позиции, закрытые (вернувшиеся к нулю) в периоде.

stats-usage = Формат: /stats [today|yesterday|week|month|year|all] [портфель]
stats-title = 📊 Статистика — { $portfolio } — { $period }
stats-summary = { $trades ->
    [one] { $trades } закрытая сделка
    [few] { $trades } закрытые сделки
   *[other] { $trades } закрытых сделок
  }
stats-even = Закрыто ровно в ноль: { $count }
stats-col-wins = Прибыльные
stats-col-losses = Убыточные
stats-row-count = Число
stats-row-average = Средняя, { $currency }
stats-row-hold = Удержание
stats-exit-reasons = Почему закрыты позиции
stats-col-reason = Выход
stats-col-net = Итог, { $currency }
exit-reason-manual = Вручную
exit-reason-stop = Стоп
exit-reason-stop-loss = Стоп-лосс
exit-reason-trailing-stop = Трейлинг-стоп
exit-reason-take-profit = Тейк-профит
exit-reason-strategy = Стратегия
exit-reason-risk = Закрытие по риску
exit-reason-external = Вне бота

duration-under-minute = < 1 мин
duration-days = { $n } д
duration-hours = { $n } ч
duration-minutes = { $n } мин

history-usage-day = Формат: /daily [число дней, 1–60] [портфель], например /daily 14
history-usage-week = Формат: /weekly [число недель, 1–60] [портфель], например /weekly 12
history-usage-month = Формат: /monthly [число месяцев, 1–60] [портфель], например /monthly 6
history-title-day = 📅 По дням — { $portfolio } — последние { $count } дн.
history-title-week = 📅 По неделям — { $portfolio } — последние { $count } нед.
history-title-month = 📅 По месяцам — { $portfolio } — последние { $count } мес.
history-col-day = День
history-col-week = Неделя с
history-col-month = Месяц
history-col-pnl = PnL, { $currency }
history-col-realized = Реализ., { $currency }
history-exchange-realized = Пополнения и выводы проходят на { $broker }: за каждый период показан реализованный PnL его сделок за вычетом комиссий, а не изменение стоимости или доходность.
history-col-return = Доходн.

export-usage = Формат: /export trades|orders [today|yesterday|week|month|year|all] [портфель], например /export trades month Swing (trades — сделки, orders — ордера)
export-kind-trades = Сделки
export-kind-orders = Ордера
export-empty = { $what } — { $portfolio } — { $period }: за этот период выгружать нечего.
export-caption = { $what } — { $portfolio } — { $period }: строк { $rows }. Время в UTC и в { $zone }.
export-capped = Только первые { $rows } из { $total } строк (не более { $max } в файле): выгрузите остальное за более короткий период.
