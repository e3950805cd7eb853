# Торговля: счета, портфели, котировки, ордера, позиции, PnL

cmd-portfolio = Ваши портфели; нажмите, чтобы сделать активным
cmd-portfolio-example = /portfolio
cmd-newaccount = Добавить брокерский счёт (учебный начинается с денег)
cmd-newaccount-example = /newaccount
cmd-newportfolio = Создать портфель на одном из счетов
cmd-newportfolio-example = /newportfolio
cmd-balance = Деньги по портфелям: всего, в резерве, свободно, позиции; итоги счетов
cmd-balance-example = /balance
cmd-deposit = Пополнить учебный портфель (активный, если не назван)
cmd-deposit-example = /deposit 5000 USDT Swing
cmd-withdraw = Снять свободные деньги из учебного портфеля (активного, если не назван)
cmd-withdraw-example = /withdraw 1000 USDT
cmd-transfer = Перевести деньги между двумя портфелями одного счёта
cmd-transfer-example = /transfer 2000 USDT Main Swing
cmd-price = Последняя цена инструмента
cmd-price-example = /price BTCUSDT
cmd-quote = Бид, аск, спред и дневной диапазон
cmd-quote-example = /quote AAPL
cmd-buy = Купить: быстрый синтаксис или по шагам без аргументов
cmd-buy-example = /buy BTCUSDT 0.01 limit 60000
cmd-sell = Продать: быстрый синтаксис или по шагам без аргументов
cmd-sell-example = /sell BTCUSDT 0.5 trailing 1.5%
cmd-orders = Ордера: открытые, исполненные, отменённые или все
cmd-orders-example = /orders open
cmd-cancel = Отменить открытый ордер по номеру
cmd-cancel-example = /cancel 42
cmd-trades = Ваши сделки за период
cmd-trades-example = /trades week
cmd-positions = Позиции со стоимостью и PnL
cmd-positions-example = /positions strategy MeanRev
cmd-pnl = PnL за сегодня, вчера, неделю, месяц, год или всё время
cmd-pnl-example = /pnl week

## Портфели
portfolio-title = 📁 Портфели
portfolio-none = У вас пока нет портфеля. Добавьте счёт: /newaccount, затем портфель: /newportfolio.
portfolio-tap-to-switch = Нажмите на портфель, чтобы сделать его активным для следующих команд.
portfolio-active = Активный: { $name }
portfolio-paper = учебный
portfolio-testnet = тестовая сеть
portfolio-default = по умолчанию
portfolio-switched = Активный портфель: { $name }.
portfolio-new = Новый
portfolio-create-first = Создать портфель
portfolio-make-default = Сделать основным
portfolio-default-set = { $name } теперь портфель по умолчанию.
portfolio-rename = Переименовать
portfolio-delete = Удалить
portfolio-delete-confirm = Да, удалить активный портфель
portfolio-delete-keep = Нет, оставить
portfolio-deleted = Портфель { $name } удалён.
portfolio-archived = Портфель { $name } перенесён в архив: он скрыт и не принимает новых ордеров; его ордера, сделки и позиции остаются в истории.
portfolio-cancel-orders = Отменить открытые ордера: { $count }
portfolio-close-positions = Закрыть позиции по рынку: { $count }
portfolio-delete-now = Удалить сейчас
portfolio-canceled-orders = Отменено открытых ордеров: { $count }.
portfolio-cancel-ended = Ордер #{ $id } { $symbol } не отменён: его статус — { $status }.
portfolio-cancel-refused = Ордер #{ $id } { $symbol } отменить не удалось: { $reason }
portfolio-close-title = Закрытие позиций по рынку:
portfolio-close-placed = #{ $id } { $order }: { $status }
portfolio-close-refused = { $order }: ордер не выставлен. { $reason }
portfolio-flat-now = В портфеле { $name } не осталось открытых ордеров и позиций: теперь его можно удалить.
portfolio-still-open = В портфеле { $name } ещё открыто позиций: { $positions }, ордеров: { $orders }.
portfolio-retired-title-archived = Портфель «{ $name }» перенесён в архив
portfolio-retired-title-deleted = Портфель «{ $name }» удалён
portfolio-retired-title-missing = Портфель расписания больше не существует
portfolio-retired-paused = Всё, что на него ссылалось, приостановлено (не удалено):
portfolio-retired-schedules = Расписания: { $names }
portfolio-retired-alerts = Оповещения: { $names }
portfolio-retired-policies = Политики риска: { $names }
portfolio-retired-next = Удалите их или настройте заново для другого портфеля.
portfolio-need-account = Сначала нужен счёт: /newaccount
portfolio-choose-account = На каком счёте будет портфель?
portfolio-choose-account-again = Выберите счёт кнопкой или отправьте /cancel.
portfolio-ask-name = Название нового портфеля на счёте { $account }? (например «Основной» или «Свинг»; /cancel — отмена)
portfolio-created = Портфель { $name } создан и активен.
portfolio-created-default = Портфель { $name } создан; он основной и активный.
portfolio-ask-new-name = Новое название портфеля? (/cancel — оставить как есть)
portfolio-renamed = Переименовано в { $name }.

## Счета и деньги
account-choose-broker = У какого брокера счёт?
account-choose-broker-again = Выберите брокера кнопкой или отправьте /cancel.
account-broker-unavailable = здесь недоступен
account-broker-not-available = Реальная торговля через { $broker } в этой установке пока недоступна. Выберите учебного брокера, чтобы торговать с имитацией исполнения, или отправьте /cancel.
account-ask-name = Название счёта (например «{ $example }»)?
account-ask-currency = Базовая валюта? Нажмите кнопку или введите код.
account-ask-currency-again = Нажмите кнопку или введите код валюты, например USDT.
account-ask-cash = Стартовая сумма в { $currency }? Нажмите кнопку или введите сумму.
account-ask-cash-again = Введите сумму, например 25000, или нажмите кнопку.
account-created = Счёт { $name } создан. Стартовые деньги: { $balance } (они поступят в первый портфель, который вы создадите на этом счёте).
account-create-portfolio = Создать на нём портфель
account-ask-testnet = Счёт { $broker } будет торговать в тестовой сети биржи (тестовые деньги, ничего настоящего) или на реальные деньги?
account-testnet-yes = 🧪 Тестовая сеть (тестовые деньги)
account-testnet-no = 💰 Реальные деньги
account-ask-testnet-again = Нажмите «Тестовая сеть» или «Реальные деньги» либо отправьте /cancel.
account-ask-key = Отправьте API-ключ вашего счёта { $broker }. Я удалю сообщение сразу, как только прочитаю его. Создайте ключ только с правами на чтение и спотовую торговлю: ключи с правом вывода средств не принимаются. /cancel — прервать.
account-key-lost = У меня больше нет присланного ключа (бот перезапустился или прошло слишком много времени). Ничего не сохранено: начните заново с /newaccount.
account-live-failed = { $reason } Ничего не сохранено. Попробуйте ещё раз: /newaccount.
account-live-created = Счёт { $name } ({ $broker }, реальные деньги) добавлен. Ключ работает и не может выводить средства; он хранится в зашифрованном виде (мастер-ключ { $keyId }). Балансы берутся с { $broker }.
account-live-created-testnet = Счёт { $name } (тестовая сеть { $broker }) добавлен. Ключ работает; он хранится в зашифрованном виде (мастер-ключ { $keyId }). Балансы берутся из тестовой сети { $broker }.
balance-title = 💰 Деньги
balance-none = У вас пока нет счетов. Добавьте: /newaccount.
balance-empty = пока нет денег
balance-line = { $currency }: деньги { $cash } · позиции { $positions }
balance-line-reserved = { $currency }: деньги { $cash } · в резерве { $reserved } · свободно { $free } · позиции { $positions }
balance-account-total = Итого по счёту
balance-total-line = { $currency }: деньги { $cash } (свободно { $free }) · позиции { $positions } · всего { $total }
balance-opening-pending = Стартовые деньги { $amount } поступят в первый портфель, который вы создадите на этом счёте (/newportfolio).
balance-no-portfolio = портфеля пока нет (/newportfolio)
balance-exchange-title = На бирже (как она их сообщает)
balance-exchange-empty = остатков нет
balance-asset-line = { $asset }: свободно { $free } · заблокировано { $locked } ≈ { $value }
balance-currency-value = { $currency } ≈ { $value }
balance-unpriced = нет котировки
balance-equity = Всего капитал: { $equity }
balance-unpriced-note = Не вошли в капитал (нет котировки в валюте счёта): { $assets }
balance-exchange-unreachable = Не удалось получить остатки с { $broker } прямо сейчас; попробуйте чуть позже.
balance-exchange-key-rejected = { $broker } отклонила API-ключ счёта: замените его командой /rotatekey.
balance-exchange-not-configured = Торговля через { $broker } не настроена в этой установке, поэтому её остатки недоступны.
cash-usage-deposit = Формат: /deposit СУММА [ВАЛЮТА] [ПОРТФЕЛЬ], например /deposit 5000 USDT Swing (активный портфель, если не назван).
cash-usage-withdraw = Формат: /withdraw СУММА [ВАЛЮТА] [ПОРТФЕЛЬ], например /withdraw 1000 USDT (активный портфель, если не назван).
cash-usage-transfer = Формат: /transfer СУММА [ВАЛЮТА] ОТКУДА КУДА, например /transfer 2000 USDT Main Swing. Названия с пробелами возьмите в кавычки или напишите между ними «to»: /transfer 500 Long term to Swing
cash-transfer-ambiguous = Эти названия портфелей можно прочитать по-разному. Возьмите их в кавычки или напишите между ними «to», например /transfer 500 "Long term" to Swing
cash-deposited = Зачислено { $amount } в портфель { $portfolio } ({ $account }). Его деньги: { $balance }.
cash-withdrawn = Снято { $amount } из портфеля { $portfolio } ({ $account }). Его деньги: { $balance }.
cash-transferred = Переведено { $amount } из { $from } в { $to }. Теперь деньги: { $from } { $fromBalance }, { $to } { $toBalance }.

## Котировки
price-usage = Какой инструмент? Например: /price BTCUSDT
price-too-many = Показаны только первые { $max } инструментов; запросите остальные отдельно.
quote-usage = Какой инструмент? Например: /quote AAPL
price-synthetic = синтетические цены (офлайн-источник)
price-stale = на { $time }, биржа недоступна
error-market-unavailable = Биржа сейчас не отвечает, поэтому актуальных цен нет. Ничего не изменено; попробуйте через минуту.
quote-last = Последняя
quote-bid = Бид
quote-ask = Аск
quote-spread = Спред
quote-bp = { $value } б.п.
quote-day-range = Диапазон дня
quote-day-change = Изменение за день

## Ордера
order-side-buy = КУПИТЬ
order-side-sell = ПРОДАТЬ
order-type-market = Рыночная
order-type-limit = Лимитная
order-type-stop = Стоп
order-type-stop_limit = Стоп-лимит
order-type-trailing = Трейлинг-стоп
order-status-new = открыт
order-status-partially_filled = частично исполнен
order-status-filled = исполнен
order-status-canceled = отменён
order-status-rejected = отклонён
order-status-expired = истёк
order-card-title = 📝 Подтвердите ордер
order-card-portfolio = Портфель
order-card-strategy = Стратегия
order-card-quote = Бид / аск
order-card-est-price = Ожидаемая цена
order-card-price-if-filled = Цена при исполнении
order-card-trigger-now = Срабатывание, если цена развернётся сейчас
order-card-value = Стоимость
order-card-fee = Комиссия (оценка)
order-card-total-buy = Итого к оплате
order-card-total-sell = Итого к получению
order-card-cash = Доступно денег
order-card-expires = Истекает в конце вашего дня.
order-confirm = Подтвердить
order-edit = Изменить
order-cancel = Отмена
order-use-value = Взять { $value }
order-sell-free = Продать { $value }
order-sending = Отправляю…
order-refresh = Показать карточку снова
order-no-portfolio = Пока нет портфеля, из которого можно торговать. Создайте его командой /newportfolio (сначала она попросит брокерский счёт; /newaccount добавит учебный счёт с деньгами), затем снова /buy.
order-draft-expired = Эта карточка ордера устарела. Начните заново: /buy или /sell.
order-discarded = Ордер отброшен. Ничего не выставлено.
order-filled = ✅ Ордер #{ $id } исполнен: { $order } — { $filled } по { $price } { $currency }.
order-partially-filled = ◐ Ордер #{ $id } исполнен частично: { $order } — пока { $filled } по { $price } { $currency }; остаток работает.
order-working = 🕓 Ордер #{ $id } выставлен: { $order }. Сообщу об исполнении.
order-rejected = ✖️ Брокер отклонил ордер #{ $id }: { $order } — { $reason }
order-ended-unfilled = Ордер #{ $id } { $status }: { $order } (исполнено { $filled }).
order-queued = ⏳ Ордер #{ $id } сохранён, но брокер недоступен; он будет отправлен автоматически: { $order }
order-syntax-examples = Примеры:
    /buy BTCUSDT 0.01
    /sell AAPL 10 limit 190.5
    /buy ETHUSDT 2 stop 3100 limit 3105 ioc
    /sell BTCUSDT 0.5 trailing 1.5%
    /buy BTCUSDT $250
    /buy BTCUSDT 0.1 tp 70000 sl 2%
    Или отправьте просто /buy — проведу по шагам.
order-syntax-usage = Укажите инструмент и количество.
order-syntax-quantity-missing = Сколько { $symbol }? Добавьте количество или сумму: /{ $command } { $symbol } 10 или /{ $command } { $symbol } $500.
order-syntax-bad-quantity = «{ $value }» — не количество. Используйте цифры с точкой, например 0.25, или $250 для суммы денег.
order-syntax-bad-number = «{ $value }» — не сумма.
order-syntax-ambiguous = «{ $value }» можно прочитать двояко (тысяча или десятичная запятая?). Для тысячи напишите 1000, для дроби — 1.5 или 1,5.
order-syntax-needs-number = После «{ $word }» нужно число (получено «{ $value }»).
order-syntax-needs-name = После «{ $word }» нужно название.
order-syntax-unknown-word = Не понимаю «{ $word }» в этом месте.
order-syntax-trailing-alone = У трейлинг-стопа не может быть лимитной или стоп-цены.

## Ввод ордера по шагам
entry-side = Купить или продать?
entry-press-button = Используйте кнопки выше или /cancel.
entry-symbol = Какой инструмент? Нажмите кнопку или введите (сейчас: { $current }).
entry-symbol-again = Введите инструмент, например BTCUSDT, или нажмите кнопку.
entry-unknown-symbol = Я не знаю «{ $symbol }». { $suggested ->
        [yes] Попробуйте один из этих или введите другой.
       *[no] Введите другой символ, например { $examples }.
    }
entry-quantity = Сколько { $symbol }? Введите количество (например 0.5) или сумму денег с $ (например $250).
entry-not-positive = «{ $value }» — не положительное число. Попробуйте ещё раз или /cancel.
entry-try-again = Попробуйте ещё раз или /cancel.
entry-type = Тип ордера?
entry-stop-price = Стоп-цена для { $symbol }?
entry-limit-price = Лимитная цена для { $symbol }?
entry-trail = Отступ трейлинга: сумма (например 150) или процент (например 1.5%)?
entry-tif = Срок действия? GTC — до отмены, IOC — исполнить сколько можно сейчас, FOK — всё или ничего сейчас, DAY — до конца вашего дня.

## Списки ордеров
orders-title = Ордера в { $portfolio } — { $filter }
orders-summary = найдено { $total } · страница { $page }/{ $pages }
orders-none = Ордеров нет.
orders-filter-open = открытые
orders-filter-filled = исполненные
orders-filter-canceled = отменённые
orders-filter-all = все
orders-trigger-now = срабатывание сейчас { $price } { $currency }
orders-filled = исполнено { $filled } @ { $price }
orders-cancel = Отменить #{ $id }
orders-cancel-confirm = Отменить ордер #{ $id }?
orders-cancel-yes = ✖️ Да, отменить #{ $id }
orders-cancel-no = « Нет, оставить
orders-canceled = Ордер #{ $id } отменён.
orders-cancel-too-late = Ордер #{ $id } не удалось отменить: он уже { $status }.
orders-usage = Формат: /orders [open|filled|canceled|all]
cancel-usage = Какой ордер? Например: /cancel 42 (номера есть в /orders).
trades-title = Сделки в { $portfolio } — { $period }
trades-none = В этом периоде сделок нет.
trades-fee = комиссия
trades-usage = Формат: /trades [today|yesterday|week|month|year|all]

## Позиции и PnL
positions-title = 📊 Позиции — { $portfolio }
positions-title-all = 📊 Позиции — все портфели · стратегия { $strategy }
positions-strategy = стратегия { $strategy }
positions-none = Открытых позиций нет.
positions-long = ЛОНГ
positions-short = ШОРТ
positions-qty = Количество
positions-avg = Средняя цена
positions-last = Последняя цена
positions-value = Рыночная стоимость
positions-unrealized = Нереализ.
positions-realized = Реализ.
positions-fees = Комиссии
positions-totals = Итого
positions-total-value = Рыночная стоимость
positions-net = Итог (нереализ. + реализ. − комиссии)
positions-check-title = 🔎 Сделки и биржа — { $account }
positions-check-scope = сделки всех портфелей счёта ({ $count }): остатки на бирже общие для счёта
positions-check-agrees = Сделки TradeDesk и { $broker } сходятся.
positions-check-differs = { $count ->
    [one] Сделки TradeDesk и { $broker } расходятся по { $count } активу.
   *[other] Сделки TradeDesk и { $broker } расходятся по { $count } активам.
}
positions-check-line = { $asset }: на { $broker } { $exchange } (свободно { $free } · заблокировано { $locked }), по сделкам { $fills }, разница { $difference }. Пополнение, вывод или сделка мимо TradeDesk?
positions-check-empty = Ни по сделкам, ни на { $broker } монет нет.
positions-check-col-asset = Актив
positions-check-col-fills = Сделки
positions-check-col-exchange = { $broker }
positions-check-col-difference = Разница
positions-check-dust = пыль
pnl-title = 📈 PnL — { $portfolio } — { $period }
pnl-period-yesterday = вчера
pnl-period-today = сегодня
pnl-period-week = эта неделя
pnl-period-month = этот месяц
pnl-period-year = этот год
pnl-period-all = всё время
pnl-since = с { $from }
pnl-since-start = с первой сделки
pnl-none = В этом периоде нет сделок и позиций.
pnl-col-symbol = Инстр.
pnl-col-realized = Реализ.
pnl-col-unrealized = Нереал. Δ
pnl-col-fees = Комис.
pnl-col-net = Итог
pnl-total = Чистый PnL { $currency }
pnl-breakdown = реализовано { $realized }, изменение нереализованного { $unrealized }, комиссии { $fees }

## Ошибки брокеров, торговли, денег и стратегий
conversation-expect-text = Ответьте текстом или отправьте /cancel.
error-live-trading-not-configured = Реальная торговля через { $broker } в этой установке не настроена.
error-broker-order-unknown = Брокер не знает ордер { $ref }.
error-broker-unavailable = Брокер сейчас недоступен.
error-order-type-unsupported = { $broker } не поддерживает ордера типа { $type }. Доступны: { $supported }.
error-tif-unsupported = { $broker } не поддерживает срок действия { $tif }. Доступны: { $supported }.
error-amount-below-min-quantity = На { $amount } { $currency } можно купить меньше минимума { $min } { $symbol }; нужно не менее { $minAmount } { $currency }.
error-risk-blocked = Риск-политика запрещает этот ордер.
error-cash-paper-only = Пополнение и снятие — только для учебных счетов; реальные деньги переводите у брокера.
error-strategy-params-object = Параметры стратегии должны быть JSON-объектом.
error-strategy-params-size = Параметры стратегии слишком большие (не более { $max } байт).
error-unknown-strategy = У вас нет стратегии «{ $ref }».
field-params = Параметры

## Уведомления об исполнении
fill-title-filled = ✅ Исполнено: { $symbol }
fill-title-partial = ◐ Частично исполнено: { $symbol }
fill-fee = Комиссия
fill-order = Ордер #{ $id }: исполнено { $filled } из { $quantity }
fill-realized = Реализованный PnL
fill-position = Позиция в { $portfolio }
order-confirm-anyway = Всё равно подтвердить
order-use-reduced = Выставить { $quantity }

## /close, /cancelall, /pause, /resume
cmd-close = Закрыть позицию (или все) по рынку, сперва отменив её открытые ордера
cmd-close-example = /close BTCUSDT · /close all Swing
cmd-cancelall = Отменить все открытые ордера портфеля
cmd-cancelall-example = /cancelall Swing
cmd-pause = Остановить новые входы (в портфеле или во всех); выходы работают
cmd-pause-example = /pause Swing · /pause all · /pause strategy MeanRev
cmd-resume = Снова разрешить новые входы
cmd-resume-example = /resume Swing · /resume all · /resume strategy MeanRev
close-usage = Скажите, что закрыть: символ или «all», и при желании портфель. Например: /close BTCUSDT, /close all Swing
close-title-all = Закрыть всё в { $portfolio } по рынку?
close-title-symbol = Закрыть { $symbol } в { $portfolio } по рынку?
close-strategy = стратегия { $name }
close-cancels-first = Сначала будут отменены открытые ордера ({ $count }): { $ids }
close-market-note = Рыночные ордера исполняются по цене момента, она может отличаться от показанной оценки.
close-confirm = Закрыть по рынку
close-keep = Оставить
close-kept = Ничего не изменено.
close-nothing-all = В { $portfolio } нет открытых позиций и ордеров: закрывать нечего.
close-nothing-symbol = В { $portfolio } нет позиции { $symbol } и открытых ордеров по нему: закрывать нечего.
close-no-positions = Закрывать больше нечего.
cancelall-none = В { $portfolio } нет открытых ордеров.
cancelall-confirm = Отменить все открытые ордера ({ $count }) в { $portfolio }?
cancelall-yes = Отменить
cancelall-no = Оставить
pause-all-label = во всех ваших портфелях
pause-done = ⏸ Новые входы приостановлены: { $portfolios }.
pause-already = Входы уже были приостановлены: { $portfolios }.
pause-hint = Продажа того, что у вас есть, отмена ордеров и /close работают. /resume снова разрешит входы.
resume-done = ▶️ Новые входы снова разрешены: { $portfolios }.
resume-already = Входы не были приостановлены: { $portfolios }.
resume-hint = /pause снова остановит новые входы.
order-card-entries-paused = Новые входы в этом портфеле приостановлены (выходы работают)

## Почему брокер отклонил или завершил ордер (короткие коды в ордере)
reject-reason-insufficient-balance = на счёте недостаточно средств
reject-reason-lot-size = такое количество на этом рынке недопустимо (минимум или шаг)
reject-reason-price-filter = цена вне допустимого диапазона или шага цены рынка
reject-reason-min-notional = сумма ордера меньше минимальной для рынка
reject-reason-trailing-delta = отступ трейлинга должен быть от 0,1 % до 20 % с шагом 0,01 %
reject-reason-trail-amount-unsupported = эта биржа ведёт трейлинг только в процентах, не суммой
reject-reason-filter-failure = правила торговли биржи не допускают этот ордер
reject-reason-would-trigger = стоп-цена уже достигнута
reject-reason-would-match = ордер исполнился бы сразу, а он может только стоять в стакане
reject-reason-oco-price-relation = тейк-профит должен быть выше последней цены, а стоп-лосс — ниже (для покупки наоборот)
reject-reason-unknown-symbol = биржа не торгует этим инструментом
reject-reason-venue-refused = биржа отклонила ордер
reject-reason-invalid-key = биржа не принимает API-ключ счёта (проверьте его через /rotatekey)
reject-reason-expired-ioc = не удалось исполнить сразу (немедленно или отменить)
reject-reason-expired-fok = не удалось исполнить сразу полностью (всё или ничего)
reject-reason-self-trade-prevention = он исполнился бы против вашего же ордера
reject-reason-submit-timeout = брокер был недоступен слишком долго, ордер не отправлен
error-broker-key-rejected = { $broker } не принимает API-ключ этого счёта. Проверьте ключ и его права, затем введите его заново через /rotatekey.
error-broker-rate-limited = { $broker } просит снизить частоту запросов. Повторите через { $seconds } с.
## изменение открытого ордера (отмена и замена)
cmd-amend = Изменить цену или количество открытого ордера
cmd-amend-example = /amend 42 price=2100 qty=0.8
orders-amend = Изменить #{ $id }
orders-replaces = заменяет #{ $id }
orders-replaced-by = заменён на #{ $id }
amend-usage = Какой ордер и что изменить? Например: /amend 42 price=2100 qty=0.8 (qty — новый общий объём; у стоп-ордера price — цена срабатывания; для стоп-лимита есть ещё stop=…). Просто /amend 42 спросит по шагам. Номера есть в /orders.
amend-syntax-unknown-word = Не знаю, что здесь значит «{ $word }»: используйте price=, stop= или qty=.
amend-syntax-needs-number = После «{ $word }» нужно число.
amend-intro = Изменяем ордер #{ $id }: { $order }. Ордер будет отменён и заменён новым с новыми значениями (сначала они проверяются). /cancel — прекратить.
amend-keep = Оставить
amend-ask-price = Новая лимитная цена? Сейчас { $current }.
amend-ask-stop = Новая цена срабатывания? Сейчас { $current }.
amend-ask-quantity = Новый общий объём (с уже исполненной частью)? Сейчас { $current }, исполнено { $filled }.
amend-quantity-below-filled = Новый объём должен быть больше уже исполненного ({ $filled }). Попробуйте ещё раз.
amend-unchanged = Ничего не изменилось: ордер #{ $id } остаётся как был.
amend-replaced = Ордер #{ $id } изменён: заменён ордером #{ $newId } · { $order }
amend-filled-meanwhile = Ордер #{ $id } исполнился на { $filled } { $symbol }, пока изменение шло на площадку: замена выставлена только на остаток.
amend-too-late = Ордер #{ $id } исполнился полностью раньше, чем изменение дошло до площадки: замена не выставлена.
amend-refused-after-cancel = Ордер #{ $id } отменён, но его замена отклонена: { $reason } Вместо него сейчас ничего не выставлено.
amend-not-done = Ордер #{ $id } не изменён и работает как прежде: { $reason }
amend-failed = Изменение ордера #{ $id } не завершилось: { $reason } Проверьте его состояние в /orders.

## брекеты: тейк-профит и стоп-лосс при входе
order-card-take-profit = Тейк-профит
order-card-stop-loss = Стоп-лосс
order-card-expected-pnl = ожидаемый результат
order-card-bracket-note = Когда ордер исполнится, на исполненный объём будут выставлены лимитный тейк-профит и стоп-лосс; когда исполнится один, другой отменяется.
orders-plan-take-profit = TP { $price }
orders-plan-stop-loss = SL { $price }
orders-leg-take-profit = тейк-профит ордера #{ $id }
orders-leg-stop-loss = стоп-лосс ордера #{ $id }
orders-leg-pair = пара OCO { $group }
order-bracket = TP / SL
bracket-ask-tp = Тейк-профит? Цена (например, 70000) или процент от цены входа (например, 5%).
bracket-ask-sl = Стоп-лосс? Цена (например, 60000) или процент от цены входа (например, 2%).
bracket-skip = Пропустить
bracket-level-invalid = «{ $value }» — не положительная цена и не процент вида 5%. Попробуйте ещё раз или /cancel.
bracket-level-above = { $value } должно быть выше цены входа { $entry }. Попробуйте ещё раз или /cancel.
bracket-level-below = { $value } должно быть ниже цены входа { $entry }. Попробуйте ещё раз или /cancel.
error-entries-paused = Новые входы в { $portfolio } приостановлены: принимаются только ордера, уменьшающие позицию. /resume { $portfolio } снова разрешит входы.

## Broker names that are ours to translate (exchanges keep their own names)
broker-name-paper = Учебная торговля (симуляция)
