# TradeDesk — русский: стратегии (/strategies, /strategy)

## Команды
cmd-strategies = Ваши стратегии: версия, параметры и использование
cmd-strategies-example = /strategies all
cmd-strategy = Создать стратегию, сохранить новую версию или посмотреть её
cmd-strategy-example = /strategy MeanRev {"{"}"window": 20, "z": 2{"}"}

## /strategies
strategies-title = 🧠 Стратегии ({ $count })
strategies-title-all = 🧠 Стратегии — все версии ({ $count })
strategies-none = У вас пока нет стратегий.
strategies-active = текущая
strategies-created = создана { $date }
strategies-no-params = без параметров
strategies-orders = { $count ->
    [one] { $count } ордер
    [few] { $count } ордера
   *[many] { $count } ордеров
}
strategies-open-positions = { $count ->
    [one] { $count } открытая позиция
    [few] { $count } открытые позиции
   *[many] { $count } открытых позиций
}
strategies-more = …и ещё { $count }.
strategies-footer = Подробности и история: /strategy НАЗВАНИЕ. Вместе со старыми версиями: /strategies all.
strategies-usage = Использование: /strategies или /strategies all, чтобы показать и старые версии.

## /strategy
strategy-usage-title = Стратегия — это название и параметры в JSON. Сохранение под существующим названием создаёт новую версию.
strategy-usage-save = Создать стратегию или сохранить новую версию:
strategy-usage-show = Посмотреть её версии и параметры:
strategy-usage-trade = Торговать по ней и смотреть её отдельно:
strategy-title = 🧠 { $name }
strategy-versions = { $count ->
    [one] { $count } версия
    [few] { $count } версии
   *[many] { $count } версий
}
strategy-older-hidden = …и ещё { $count ->
    [one] { $count } старая версия
    [few] { $count } старые версии
   *[many] { $count } старых версий
} (все: /strategies all).
strategy-created = Стратегия { $name } создана, версия { $version }.
strategy-new-version = { $name }: сохранена версия { $version }.
strategy-history-kept = Новые ордера с «strategy { $name }» пойдут по версии { $version }; ордера, сделки и позиции версии { $previous } останутся за версией { $previous }.
strategy-params = Параметры:
strategy-try = Торговать по ней:
strategy-new-version-hint = Сохранить новую версию:
strategy-see-positions = Её позиции:
strategy-bad-json = Параметры — некорректный JSON. Запишите их как JSON-объект, например:
strategy-params-hint = Параметры — это JSON-объект, например:
strategy-runs-on = ▶️ запущена на { $portfolios }

## /run, /running, /stop — стратегии, запущенные на портфелях
cmd-run = Запустить стратегию на портфеле: по каждой закрытой свече
cmd-run-example = /run MeanRev on Main BTCUSDT ETHUSDT
cmd-running = Запущенные стратегии: состояние, сигнал, ордера, PnL; пауза, запуск, остановка
cmd-running-example = /running
cmd-stop = Остановить стратегию (её позиции остаются открытыми)
cmd-stop-example = /stop MeanRev · /stop MeanRev on Main
run-started = { $name } v{ $version } запущена на { $portfolio } для { $symbols }: она оценивается на каждой закрытой свече, её ордера помечены ею.
run-started-hint = Смотрите /running; остановить: /stop { $name }.
run-need-strategy = У вас ещё нет стратегии для запуска. Сначала сохраните её, например: /strategy MeanRev {"{"}"kind": "ma-cross", "fast": 20, "slow": 50, "timeframe": "1h"{"}"}
run-ask-strategy = Какую стратегию запустить?
run-ask-portfolio = На каком портфеле запустить { $name }?
run-ask-symbols = Какими инструментами { $name } торгует на { $portfolio }? Отправьте их через пробел, например BTCUSDT ETHUSDT (/cancel — отмена).
run-ask-symbols-again = Отправьте один или несколько инструментов, например BTCUSDT ETHUSDT.
run-press-button = Нажмите одну из кнопок (или /cancel).
run-confirm-live = ⚠️ { $portfolio } — реальный портфель: { $name } будет выставлять настоящие ордера по { $symbols } на реальные деньги. Запустить?
run-confirm-yes = Запустить на реальные деньги
run-confirm-no = Не запускать
run-not-started = Не запущено. Ничего не изменилось.
running-title = 🧠 Запущенные стратегии ({ $count })
running-none = Ни одна стратегия не запущена. Запустите через /run, например:
running-newer = сохранена v{ $version }
running-live = реальный
running-status-running = работает
running-status-paused = на паузе
running-status-stopped = остановлена
running-paused-errors = на паузе после { $count } ошибок подряд
running-last-signal = Последний сигнал: { $action } { $symbol } ({ $reason }), { $when }
running-no-signal = Сигналов ещё не было
running-orders-today = { $count ->
    [one] { $count } ордер сегодня
    [few] { $count } ордера сегодня
   *[other] { $count } ордеров сегодня
}
running-pnl = PnL с запуска
running-stop = Стоп
strategy-action-buy = ПОКУПКА
strategy-action-sell = ПРОДАЖА
strategy-action-close = ЗАКРЫТИЕ
stop-which = Какую? Нажмите её кнопку:
stop-done = { $name } остановлена на { $portfolio }.
stop-positions-hint = Её открытые позиции остаются открытыми: смотрите /positions, закрыть — /close.
pause-strategy-usage = Формат: /pause strategy ИМЯ (или кнопка ⏸ в /running). Просто /pause останавливает новые входы в портфеле.
resume-strategy-usage = Формат: /resume strategy ИМЯ (или кнопка ▶️ в /running).
strategy-paused = ⏸ { $name } на паузе на { $portfolio }: новых оценок не будет до возобновления.
strategy-resumed = ▶️ { $name } снова работает на { $portfolio }.
strategy-switched = ⬆️ { $name } теперь работает в версии { $version } на { $portfolio }.

## уведомления стратегий
strategy-notice-signals-title = 🧠 { $name } v{ $version } · { $symbol }
strategy-notice-placed = ордер #{ $id } { $status }, { $filled } из { $quantity }
strategy-notice-already = ордер #{ $id } для этой свечи уже был выставлен
strategy-notice-nothing = торговать нечем
strategy-notice-refused = не выставлен
strategy-notice-portfolio = Портфель { $portfolio }
strategy-notice-candle = свеча { $time }
strategy-notice-error-title = ⚠️ { $name } v{ $version }: ошибка оценки
strategy-notice-paused-title = ⏸ { $name } v{ $version } на паузе
strategy-notice-error-retry = Следующий запуск попробует снова.
strategy-notice-paused = Пауза после { $count } ошибок подряд. Исправьте стратегию (/strategy) и возобновите её в /running.
strategy-notice-daily-title = 🧠 { $name } v{ $version } · { $day }
strategy-notice-daily-orders = Ордеров: { $orders } · исполнений: { $fills }

## ошибки запуска стратегий
error-strategy-live-needs-confirmation = { $portfolio } — реальный портфель: запуск стратегии на нём требует вашего подтверждения.
error-strategy-already-running = { $name } уже запущена на { $portfolio }. Смотрите /running.
error-strategy-not-running = { $name } не запущена.
error-strategy-already-paused = { $name } уже на паузе.
error-strategy-already-running-now = { $name } уже работает.
error-strategy-version-current = { $name } уже работает в последней версии (v{ $version }).
error-strategy-not-running-name = Запущенной стратегии «{ $ref }» нет. Смотрите /running.
error-strategy-symbols-missing = Укажите хотя бы один инструмент, например /run MeanRev on Main BTCUSDT.
error-strategy-symbols-too-many = Не больше { $max } инструментов на одну запущенную стратегию.
field-strategy = Стратегия
field-symbols = Инструменты


## Виды стратегий: ошибки параметров
field-strategyParam = Параметр стратегии
field-strategyKind = Вид стратегии
error-strategy-kind-unknown = Вида стратегии «{ $value }» нет. Виды: { $kinds }.
error-strategy-param-unknown = Параметра «{ $param }» нет (параметры: { $known }).{ $suggestion ->
    [none] {""}
   *[other] {" "}Может быть, { $suggestion }?
}
error-strategy-param-required = Не указан параметр «{ $param }».
error-strategy-param-invalid = У параметра «{ $param }» недопустимое значение: { $value }.
error-strategy-param-number = { $param }: «{ $value }» — не число.
error-strategy-param-range = { $param }: должно быть от { $min } до { $max } (указано { $value }).
error-strategy-param-range-above = { $param }: должно быть больше { $min } и не больше { $max } (указано { $value }).
error-strategy-param-min = { $param }: должно быть целым числом не меньше { $limit } (указано { $value }).
error-strategy-param-max = { $param }: должно быть целым числом не больше { $limit } (указано { $value }).
error-strategy-param-choice = { $param }: «{ $value }» — не одно из { $options }.
error-strategy-param-interval = { $param }: «{ $value }» — не таймфрейм. Допустимо: { $allowed }.
error-strategy-ma-order = Быстрая средняя ({ $fast }) должна быть короче медленной ({ $slow }).
error-strategy-size-both = Укажите либо equityPct (доля капитала), либо quote (сумма), но не оба.
error-strategy-dca-dip-missing = dipMultiplier требует dipPct: насколько цена должна быть ниже опорной для увеличенной покупки.
error-strategy-grid-range = Верхняя цена ({ $upper }) должна быть выше нижней ({ $lower }).

## Правила из чата: ошибки с номером утверждения и словом
field-strategyRules = Правила
error-rules-empty = Правила пусты. Напишите, например: buy 10% when RSI(14) < 30; sell all when RSI(14) > 70
error-rules-too-long = Правила слишком длинные (не больше { $max } символов).
error-rules-too-many = Слишком много утверждений (не больше { $max }).
error-rules-statement = Утверждение { $statement }: «{ $word }» — не утверждение. Начните с buy, sell, stop, take, every или on.{ $suggestion ->
    [none] {""}
   *[other] {" "}Может быть, { $suggestion }?
}
error-rules-when-missing = Утверждение { $statement }: перед условием нет «when» (стоит «{ $word }»). Пример: buy 10% when RSI(14) < 30
error-rules-size-missing = Утверждение { $statement }: сколько { $action ->
    [buy] купить
   *[other] продать
}? Укажите перед «when», например 10%, 100 USDT, 0.5 или all.
error-rules-size = Утверждение { $statement }: «{ $word }» — не объём. Используйте 10% (от капитала), 100 USDT или 100$ (сумма), 0.5 (количество) или all (продажа).
error-rules-buy-all = Утверждение { $statement }: «buy all» не имеет смысла; покупайте долю (10%), сумму (100 USDT) или количество (0.5).
error-rules-percent = Утверждение { $statement }: «{ $word }» должно быть процентом больше 0 и не больше { $max }, например 3%.
error-rules-duplicate = Утверждение { $statement }: «{ $word }» указано дважды.
error-rules-timeframe = Утверждение { $statement }: «{ $word }» — не таймфрейм. Допустимо: { $allowed }.
error-rules-condition-empty = Утверждение { $statement }: не хватает условия (после «when» или рядом с «and»/«or»).
error-rules-condition = Утверждение { $statement }: «{ $word }» — не сравнение вида RSI(14) < 30.
error-rules-condition-constant = Утверждение { $statement }: «{ $word }» сравнивает два числа; с одной стороны должен быть индикатор.
error-rules-too-many-conditions = Утверждение { $statement }: слишком много условий (не больше { $max }).
error-rules-indicator = Утверждение { $statement }: не знаю индикатор «{ $word }».{ $suggestion ->
    [none] {" "}Попробуйте RSI(14), SMA(50), EMA(20), MACD, BB(20), ATR(14) или close.
   *[other] {" "}Может быть, { $suggestion }?
}
error-rules-indicator-params = Утверждение { $statement }: у «{ $word }» параметры, которые индикатор не принимает.
error-rules-period = Утверждение { $statement }: период в «{ $word }» должен быть от { $min } до { $max }.
error-rules-indicator-daily = Утверждение { $statement }: «{ $word }» требует дневных максимумов и минимумов, которые правила не читают; используйте индикатор на таймфрейме стратегии.
error-rules-no-buy = Правила никогда не покупают: добавьте, например, buy 10% when RSI(14) < 30

## /strategy new: стратегия встроенного вида
strategy-usage-new = Создать стратегию встроенного вида (rules, ma-cross, dca, grid) или отправить просто /strategy new, чтобы ответить на вопросы по шагам:
strategy-new-bad-pair = «{ $word }» — не параметр вида ключ=значение. Например:
strategy-new-try = Например:
strategy-kind-rules = rules — покупка и продажа по условиям на индикаторах, которые вы пишете:
strategy-kind-ma-cross = ma-cross — покупка, когда быстрая скользящая средняя пересекает медленную снизу вверх, продажа — при пересечении сверху вниз:
strategy-kind-dca = dca — покупка на фиксированную сумму по расписанию (cron в вашем часовом поясе):
strategy-kind-grid = grid — покупка на ценовых уровнях при снижении, продажа каждой покупки уровнем выше:

## бэктесты
field-backtestRange = Период бэктеста
error-backtest-range-order = Начало периода должно быть раньше его конца.
error-backtest-range-long = В этом периоде { $candles } свечей { $timeframe }; бэктест берёт не больше { $max }. Выберите период короче или таймфрейм крупнее.
error-backtest-running = Предыдущий бэктест ещё идёт; дождитесь его результата.
error-backtest-few-candles = Стратегии нужно { $needed } свечей истории, а в периоде { $got }. Выберите период длиннее.
error-backtest-timeout = Бэктест шёл слишком долго и был остановлен. Попробуйте период короче или таймфрейм крупнее.

## /backtest
cmd-backtest = Проверить стратегию на прошлых ценах: доходность, просадка, сделки и график
cmd-backtest-example = /backtest Dip BTCUSDT 2026-01-01 2026-03-01 1h
backtest-usage = Формат: /backtest СТРАТЕГИЯ СИМВОЛ [С [ПО]] [ТАЙМФРЕЙМ]. Даты — дни (2026-03-01) или моменты (2026-03-01T12:00) в вашем часовом поясе; без дат — последние 90 дней; одна дата С — до текущего момента. Таймфрейм (1m, 5m, 15m, 30m, 1h, 4h, 1d) заменяет собственный таймфрейм стратегии на время этой проверки. Имя с пробелами берите в кавычки. Например:
backtest-bad-date = «{ $word }» — не дата: день пишется как 2026-03-01, момент — как 2026-03-01T12:00.
backtest-too-many-dates = «{ $word }» — третья дата: укажите не больше двух, С и ПО.
backtest-bad-timeframe = «{ $word }» — не таймфрейм. Таймфреймы: { $intervals }.
backtest-bad-word = Не понимаю «{ $word }» здесь: после стратегии и символа идут только даты и таймфрейм.
backtest-title = Бэктест { $name } v{ $version } · { $symbol } { $timeframe }
backtest-range = { $from } — { $to }
backtest-progress = { $phase }: { $percent } %
backtest-phase-queued = запуск
backtest-phase-candles = загрузка истории цен
backtest-phase-running = моделирование сделок
backtest-period = { $from } — { $to }, свечей: { $candles }
backtest-equity = Капитал
backtest-return = Доходность против «купить и держать»
backtest-vs = { $a } против { $b }
backtest-cagr = Годовая (CAGR)
backtest-drawdown = Макс. просадка
backtest-sharpe = Шарп / Сортино
backtest-trades = Сделки
backtest-trades-value = { $trades } (прибыльных { $wins }, убыточных { $losses })
backtest-win-rate = Доля прибыльных
backtest-average = Средняя прибыль / убыток
backtest-exposure = Время в позиции
backtest-fees = Уплачено комиссий
backtest-open-trade = Позиция, открытая { $since }, к концу периода не закрыта (оценена по последнему закрытию).
backtest-footer = Смоделировано с комиссиями и проскальзыванием учебного брокера; прошлые результаты не обещают будущих.
backtest-chart-title = { $name } · { $symbol } { $timeframe }
backtest-chart-equity = Стратегия
backtest-chart-buy-hold = Купить и держать
backtest-chart-drawdown = Просадка
backtest-chart-entries = Входы
backtest-chart-exits = Выходы

## /strategy new, пошагово
strategy-new-choose-kind = Новая стратегия. Какого вида?
    • DCA — покупка на фиксированную сумму по расписанию
    • Сетка — покупка на ценовых уровнях при снижении, продажа каждой покупки уровнем выше
    • Пересечение MA — покупка, когда быстрая скользящая средняя пересекает медленную снизу вверх, продажа — при пересечении сверху вниз
    • Правила — покупка и продажа по условиям на индикаторах, которые вы пишете
strategy-new-press-kind = Нажмите одну из кнопок, чтобы выбрать вид, или /cancel.
strategy-kind-button-dca = DCA
strategy-kind-button-grid = Сетка
strategy-kind-button-ma-cross = Пересечение MA
strategy-kind-button-rules = Правила
strategy-new-default = { $value } (по умолчанию)
strategy-new-skip = Пропустить
strategy-new-optional = Необязательно: нажмите «Пропустить», чтобы не задавать.
strategy-new-answer-again = Напишите значение или нажмите одну из кнопок под вопросом; /cancel — прекратить.
strategy-new-ask-name = Как назвать стратегию? (имя, которого нет у ваших стратегий)
strategy-new-ask-name-again = Пришлите другое имя или /cancel.
strategy-new-summary = Новая стратегия { $name } · { $kind }
strategy-new-confirm = Сохранить
strategy-new-discard = Отменить
strategy-new-press-confirm = Нажмите «Сохранить» или «Отменить» под сводкой, или /cancel.
strategy-new-discarded = Ничего не сохранено.
strategy-new-next-backtest = Проверить на истории:
strategy-new-next-run = Запустить на учебном портфеле:
error-strategy-name-taken = У вас уже есть стратегия «{ $name }». Выберите другое имя (или сохраните её новую версию: /strategy new { $name } ВИД …).
strategy-param-source = source — правила, утверждения через «;», например:
    buy 10% when RSI(14) < 30 and close > SMA(200); sell all when RSI(14) > 70; stop 3%; take 8%
    Добавьте «every 4h», чтобы задать таймфрейм в тексте.
strategy-param-timeframe = timeframe — свечи, на которых она работает: 1m, 5m, 15m, 30m, 1h, 4h или 1d.
strategy-param-cron = cron — когда покупать, расписание cron в вашем часовом поясе, например 0 9 * * 1 (по понедельникам в 09:00).
strategy-param-quote = quote — { $kind ->
        [grid] сумма покупки на каждом уровне
        [dca] сумма каждой покупки
       *[other] фиксированная сумма на вход (вместо доли капитала)
    } в валюте котировки, например 100.
strategy-param-dipPct = dipPct — покупать больше, когда цена на столько процентов ниже опорной, например 5.
strategy-param-dipMultiplier = dipMultiplier — во сколько раз больше покупать на просадке: больше 1 и не больше 10, например 2.
strategy-param-reference = reference — цена, от которой считается просадка (без неё — средняя цена входа).
strategy-param-lower = lower — нижняя цена сетки, например 90.
strategy-param-upper = upper — верхняя цена сетки, выше нижней, например 110.
strategy-param-levels = levels — сколько ценовых уровней, от 2 до 100.
strategy-param-spacing = spacing — уровни на равном расстоянии (ARITHMETIC) или с равным отношением (GEOMETRIC).
strategy-param-type = type — скользящая средняя: простая (SMA) или экспоненциальная (EMA).
strategy-param-fast = fast — период быстрой средней в свечах (целое число).
strategy-param-slow = slow — период медленной средней в свечах, длиннее быстрой.
strategy-param-equityPct = equityPct — доля капитала на покупку в процентах (без неё и без quote — 10).
strategy-param-stopLossPct = stopLossPct — продать всё, когда цена упадёт на столько процентов ниже входа, например 3.
strategy-param-takeProfitPct = takeProfitPct — продать всё, когда цена вырастет на столько процентов выше входа, например 8.
