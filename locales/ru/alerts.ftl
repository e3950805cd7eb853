# TradeDesk — русский: алерты, скринеры и словарь индикаторов

## Команды
cmd-alert = Алерт одной строкой (цена, движение, индикатор, позиция, риск)
cmd-alert-example = /alert ETHUSDT rsi14 1h below 30
cmd-newalert = Создать алерт по шагам
cmd-newalert-example = /newalert
cmd-alerts = Ваши алерты: пауза, возобновление, удаление
cmd-alerts-example = /alerts
cmd-screen = Запустить сохранённый скринер
cmd-screen-example = /screen Oversold
cmd-newscreener = Собрать скринер по шагам
cmd-newscreener-example = /newscreener
cmd-screeners = Ваши скринеры: запуск, удаление
cmd-screeners-example = /screeners

## /alert
alert-usage-title = Алерты одной строкой, например:
alert-usage-options = Добавьте «once» для разового алерта или «every 30m», чтобы он повторялся не чаще раза в 30 минут (по умолчанию раз в 1h). Слова info, warning, error или critical задают важность. Для алертов по позиции и риску можно указать «in ПОРТФЕЛЬ», если нужен не активный портфель.
alert-usage-semantics = Алерт срабатывает, когда условие становится истинным: если оно уже выполнено при создании, алерт ждёт следующего раза. Напишите «is» (BTCUSDT is above 70000), чтобы получать уведомления, пока условие выполняется.
alert-usage-hint = Отправьте /alert без параметров, чтобы увидеть примеры, или /newalert, чтобы пройти по шагам.
alert-created = Алерт №{ $id } сохранён:
alert-created-now = Сейчас: { $values }
alert-created-already-true = Условие уже выполнено, поэтому я сообщу, когда оно станет истинным в следующий раз. Добавьте «is», чтобы получать уведомления, пока оно выполняется.
alert-created-no-risk = Алерты по риску проверяются, когда в этой установке доступны данные об использовании лимитов.
alert-once = один раз
alert-every = каждые { $cooldown }
alert-while-true = пока выполняется
alert-severity-info = инфо
alert-severity-warning = предупреждение
alert-severity-error = ошибка
alert-severity-critical = критично
alert-price-word = Цена

## Значения, на которые смотрел алерт
alert-value-price = цена
alert-value-level = уровень
alert-value-reference = цена до
alert-value-changePct = изменение
alert-value-value = значение
alert-value-fast = быстрая
alert-value-slow = медленная
alert-value-macd = MACD
alert-value-signal = сигнальная
alert-value-histogram = гистограмма
alert-value-band = полоса
alert-value-reach = экстремум свечи
alert-value-previousClose = прошлое закрытие
alert-value-atr = ATR
alert-value-ratio = движение в ATR
alert-value-unrealized = нереализ. PnL
alert-value-unrealizedPct = нереализ. PnL
alert-value-quantity = количество
alert-value-drawdownPct = просадка
alert-value-peak = лучшая цена
alert-value-usedPct = использовано
alert-value-rule = правило

## Сработавшие алерты
alert-fired-title = 🔔 { $name }
alert-fired-price-above = { $symbol } стоит { $price } — на уровне { $level } или выше.
alert-fired-price-below = { $symbol } стоит { $price } — на уровне { $level } или ниже.
alert-fired-move = { $symbol } изменился на { $change } за { $window }: { $reference } → { $price }.
alert-fired-indicator-above = { $indicator } по { $symbol } на { $interval } равен { $value } — { $level } или выше.
alert-fired-indicator-below = { $indicator } по { $symbol } на { $interval } равен { $value } — { $level } или ниже.
alert-fired-ma-above = { $fast } теперь выше { $slow } по { $symbol } { $interval }: { $fastValue } против { $slowValue }.
alert-fired-ma-below = { $fast } теперь ниже { $slow } по { $symbol } { $interval }: { $fastValue } против { $slowValue }.
alert-fired-macd-above = MACD пересёк сигнальную линию вверх по { $symbol } { $interval }: { $macd } против { $signal }.
alert-fired-macd-below = MACD пересёк сигнальную линию вниз по { $symbol } { $interval }: { $macd } против { $signal }.
alert-fired-bb-upper = { $symbol } { $interval } коснулся верхней полосы Боллинджера { $band } (максимум { $reach }).
alert-fired-bb-lower = { $symbol } { $interval } коснулся нижней полосы Боллинджера { $band } (минимум { $reach }).
alert-fired-atr = { $symbol } { $interval } ушёл на { $ratio } ATR от прошлого закрытия: { $previous } → { $price } (ATR { $atr }).
alert-fired-pnl = { $symbol } в портфеле { $portfolio }: нереализованный PnL { $pnl } ({ $pct }).
alert-fired-drawdown = { $symbol } в портфеле { $portfolio } на { $drawdown } ниже лучшей цены { $peak } (сейчас { $price }).
alert-fired-risk = { $portfolio }: правило риска { $rule } использовано на { $used } от лимита.
alert-fired-once = Разовый алерт: теперь он выключен.
alert-fired-repeat = Может сработать снова через { $cooldown }.
alert-pause-button = ⏸ Приостановить алерт

## /alerts
alerts-title = 🔔 Ваши алерты ({ $count })
alerts-none = Алертов пока нет. Создайте алерт через /alert или /newalert.
alerts-page = Страница { $page } из { $pages } · ⏸ пауза, ▶️ возобновить, 🗑 удалить
alerts-fired = сработал { $count } раз, последний — { $when }
alerts-never-fired = ещё не срабатывал
alert-paused = На паузе: { $name }
alert-resumed = Возобновлён: { $name }
alert-deleted = Удалён: { $name }
alert-delete-confirm = Удалить этот алерт?
alert-delete-yes = 🗑 Удалить
alert-delete-no = Оставить

## /newalert
newalert-kind = За чем следить?
newalert-kind-price = Уровень цены
newalert-kind-move = Движение цены в %
newalert-kind-rsi = Уровень RSI
newalert-kind-ma = Пересечение средних
newalert-kind-macd = Пересечение MACD
newalert-kind-bb = Касание полос Боллинджера
newalert-kind-atr = Движение на k × ATR
newalert-kind-vol = Всплеск объёма
newalert-kind-pnl = PnL позиции
newalert-kind-dd = Просадка позиции
newalert-press-button = Выберите одну из кнопок выше или отправьте /cancel.
newalert-symbol = Какой инструмент? Например, BTCUSDT или AAPL.
newalert-interval = Какой интервал свечей?
newalert-direction = В какую сторону?
newalert-dir-above = На уровне или выше
newalert-dir-below = На уровне или ниже
newalert-dir-up = Пересечение вверх
newalert-dir-down = Пересечение вниз
newalert-dir-any = В любую сторону
newalert-level-price = На какой цене? Введите число, например 70000.
newalert-level-rsi = На каком уровне RSI? Введите число от 0 до 100, например 30.
newalert-move-percent = На сколько процентов? Например, 5.
newalert-move-window = За какое время? Нажмите кнопку или введите длительность, например 90m.
newalert-ma-fast = Быстрая линия: нажмите кнопку или введите среднюю, например ema20 или sma50.
newalert-ma-slow = Медленная линия: нажмите кнопку или введите среднюю, например sma200.
newalert-ma-same = Вторая линия должна отличаться от первой ({ $fast }): линия не может пересечь сама себя. Попробуйте { $suggestions }.
newalert-ma-kind = «{ $value }» — не скользящая средняя: введите ema или sma с периодом (ema20, sma200) или price.
newalert-band = Какая полоса?
newalert-band-upper = Верхняя
newalert-band-lower = Нижняя
newalert-atr-multiplier = На сколько ATR от прошлого закрытия? Нажмите кнопку или введите число.
newalert-volume-multiplier = Во сколько раз больше среднего объёма за 20 свечей? Нажмите кнопку или введите число.
newalert-pnl-threshold = При каком нереализованном PnL? Введите сумму, например -500, или процент, например -5%.
newalert-drawdown = На сколько процентов ниже лучшей цены позиции? Например, 10.
newalert-number-again = Это число здесь не подходит. Введите ещё раз или отправьте /cancel.
newalert-type-again = Введите ещё раз или отправьте /cancel.
newalert-repeat = Один раз или повторять с паузой между уведомлениями?
newalert-try-command = Можно исправить и отправить одной строкой: { $command }
newalert-next-time = В следующий раз можно написать одной строкой: { $command }

## Скринеры
screen-usage = Отправьте /screen и название вашего скринера, например /screen Oversold.
screeners-title = 📊 Ваши скринеры ({ $count })
screeners-none = Скринеров пока нет. Соберите скринер через /newscreener.
screener-unsaved = Скринер
screener-summary = Подходят { $matched } из { $evaluated } инструментов.
screener-no-matches = Сейчас ничего не подходит.
screener-skipped = Нет данных: { $list }
screener-col-symbol = Тикер
screener-col-price = Цена
screener-run-again = 🔄 Запустить ещё раз
screener-run-now = ▶️ Запустить
screener-running = Запускаю…
screener-delete-confirm = Удалить скринер «{ $name }»?
screener-delete-yes = 🗑 Удалить
screener-delete-no = Оставить
screener-deleted = Удалён: { $name }
screener-no-conditions = без условий
screener-sorted-by = по { $metric } { $order }
screener-top = первые { $count }
screener-universe-symbols = { $list }
screener-universe-symbols-more = { $list } и ещё { $count }
screener-universe-exchange = { $exchange }
screener-universe-type-crypto = Криптовалюты
screener-universe-type-equity = Акции
screener-universe-type-etf = ETF
screener-universe-type-future = Фьючерсы
screener-universe-type-forex = Валюты

## /newscreener
newscreener-universe = Какие инструменты просматривать? Нажмите кнопку или введите тикеры через пробел (BTCUSDT ETHUSDT AAPL).
newscreener-universe-again = Нажмите кнопку или введите тикеры, например BTCUSDT ETHUSDT.
newscreener-press-button = Выберите одну из кнопок выше или отправьте /cancel.
newscreener-interval = На каком интервале свечей считать индикаторы?
newscreener-conditions = Добавляйте условия по одному: нажмите кнопку или введите условие, например RSI(14) < 30, EMA(20) > EMA(50), PRICE_CHANGE_PCT(24) > 5, VOLUME_SPIKE(20) > 2, DIST_FROM_HIGH_PCT(30d) < 5 или price > 100. Когда закончите, нажмите «Готово».
newscreener-conditions-again = Нажмите условие, введите своё, например RSI(14) < 30, или нажмите «Готово».
newscreener-condition-example = Условие — это индикатор, сравнение и число или другой индикатор, например RSI(14) < 30.
newscreener-condition-added = Добавлено. Условия ({ $count }): { $list }. Добавьте ещё или нажмите «Готово».
newscreener-done = ✅ Готово
newscreener-sort = По какому значению сортировать? Нажмите кнопку или введите индикатор, например ATR(14).
newscreener-sort-again = Нажмите кнопку или введите индикатор, например RSI(14).
newscreener-order = Сначала большие или сначала маленькие значения?
newscreener-order-desc = ⬇️ Сначала большие
newscreener-order-asc = ⬆️ Сначала маленькие
newscreener-top = Сколько строк показывать? Нажмите кнопку или введите число до { $max }.
newscreener-top-again = Введите целое число от 1 до { $max } или нажмите кнопку.
newscreener-name = Последний шаг: название скринера, например Oversold.
newscreener-saved = Скринер «{ $name }» сохранён.
newscreener-run-hint = Запускайте его командой { $command } или поставьте в расписание через /newschedule.

## Названия полей и сущностей (для сообщений об ошибках)
field-alertSyntax = Алерт
field-alertKind = Тип алерта
field-alertLevel = Уровень
field-alertDirection = Направление
field-alertPercent = Процент
field-alertWindow = Окно времени
field-alertMultiplier = Множитель
field-alertBand = Полоса
field-alertThreshold = Порог
field-alertTrigger = Срабатывание
field-alertCooldown = Интервал повтора
field-alertSeverity = Важность
field-alertRule = Правило риска
field-candleInterval = Интервал
field-indicator = Индикатор
field-indicatorPeriod = Период
field-indicatorDays = Число дней
field-indicatorFast = Быстрый период
field-indicatorSlow = Медленный период
field-indicatorSignal = Сигнальный период
field-indicatorStdDev = Стандартные отклонения
field-indicatorOutput = Линия индикатора
field-screenerUniverse = Инструменты
field-screenerSymbols = Тикеры
field-screenerAssetType = Тип актива
field-screenerExchange = Биржа
field-screenerCondition = Условие
field-screenerSort = Сортировка
field-screenerLimit = Число строк
entity-alert = алерт
entity-screener = скринер

## Ошибки
error-alert-usage = Алерт не полный. Начните с тикера, например: /alert BTCUSDT above 70000.
error-alert-unknown-word = Не понимаю «{ $word }» в этом алерте.
error-alert-needs-number = После «{ $after }» нужно число.
error-alert-needs-percent = После «{ $after }» нужен процент, например 5%.
error-alert-needs-duration = После «{ $after }» нужна длительность, например 30m, 1h или 1d.
error-alert-needs-interval = Добавьте к алерту { $after } интервал свечей: 1m, 5m, 15m, 30m, 1h, 4h или 1d.
error-alert-needs-ma = После «{ $after }» нужна скользящая средняя, например ema50 или sma200.
error-alert-needs-severity = После «{ $after }» нужно одно из: info, warning, error, critical.
error-alert-needs-name = После «{ $after }» нужно название.
error-alert-config-invalid = { $fieldName }: настройки алерта некорректны.
error-alert-choice = { $fieldName }: «{ $value }» — не одно из { $allowed }.
error-alert-interval = { $fieldName }: «{ $value }» — не интервал; используйте одно из { $allowed }.
error-alert-too-large = { $fieldName }: { $value } — слишком много (не больше { $max }).
error-alert-duration-range = { $fieldName }: должно быть от { $min } до { $max }.
error-alert-rsi-level = { $fieldName }: уровень RSI должен быть от 0 до 100 (получено { $value }).
error-alert-multiplier-range = { $fieldName }: должен быть больше 0 и не больше { $max } (получено { $value }).
error-alert-threshold-zero = { $fieldName }: укажите убыток (отрицательное число) или прибыль (положительное), но не 0.
error-alert-rule = { $fieldName }: «{ $value }» — не название правила, например dailyLossLimitPct.
error-alert-not-ma = { $fieldName }: { $value } — не скользящая средняя; используйте sma, ema или цену.
error-alert-same-ma = { $fieldName }: сравнивайте две разные средние, а не { $value } саму с собой.
error-alert-indicator-kind = { $fieldName }: этому алерту нужен { $expected }, а не { $value }.
error-alert-price-is-not-indicator = Для уровня цены используйте алерт вида «BTCUSDT above 70000».
error-alert-no-market-data = У источника рыночных данных нет цен для { $symbol }.
error-alert-no-position = У вас нет открытой позиции { $symbol } в портфеле { $portfolio }.
error-alert-limit = Достигнут предел в { $max } алертов. Сначала удалите лишние в /alerts.
error-indicator-unknown = { $fieldName }: не знаю «{ $value }». Попробуйте rsi14, sma50, ema20, macd, bb20, atr14 или vol20.
error-indicator-period-range = { $fieldName } { $indicator }: целое число от { $min } до { $max } (получено { $value }).
error-indicator-macd-order = { $fieldName }: быстрый период ({ $fast }) должен быть короче медленного ({ $slow }).
error-indicator-std-dev = { $fieldName }: больше 0 и не больше { $max } (получено { $value }).
error-indicator-output = { $fieldName }: «{ $value }» — не одно из { $outputs }.
error-screener-config-invalid = { $fieldName }: настройки скринера некорректны.
error-screener-exchange = { $fieldName }: биржа «{ $value }» мне не известна; используйте одну из { $allowed }.
error-screener-symbols-empty = { $fieldName }: укажите хотя бы один тикер.
error-screener-symbols-too-many = { $fieldName }: не больше { $max } тикеров.
error-screener-universe-empty = { $fieldName }: там нет ни одного инструмента.
error-screener-condition-syntax = { $fieldName }: «{ $value }» — не сравнение вида RSI(14) < 30.
error-screener-condition-left = { $fieldName }: начните с индикатора, например RSI(14) < 30.
error-screener-too-many-conditions = { $fieldName }: не больше { $max } условий.
error-screener-sort-syntax = { $fieldName }: укажите индикатор, например RSI(14) asc.
error-screener-limit = { $fieldName }: целое число от 1 до { $max } (получено { $value }).
error-screener-name-taken = У вас уже есть скринер «{ $name }».
error-screener-limit-reached = Достигнут предел в { $max } скринеров.
error-unknown-screener = У вас нет скринера «{ $ref }». Смотрите /screeners.

## Длительности
alert-duration-minutes = { $count } мин
alert-duration-hours = { $count } ч
alert-duration-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
}
