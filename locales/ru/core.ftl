# TradeDesk — русский

## Доступ
access-pending = Ваша заявка на доступ ждёт решения администратора. Я сообщу, как только оно будет принято. Пока работают только /start и /help.
access-revoked = Администратор отключил ваш доступ. Работают только /start и /help. Если это ошибка, обратитесь к администратору.
access-rejected = Ваша заявка на доступ отклонена. Подать её снова можно командой /start с { $when }. До тех пор работают только /start и /help.
access-rejected-reapply = Ваша прежняя заявка на доступ была отклонена. Отправьте /start, чтобы подать её снова.
access-visitor = Вы ещё не подавали заявку на доступ. Отправьте /start, чтобы подать её.
access-admin-only = Это доступно только администраторам.
command-private-only = Пожалуйста, используйте /{ $command } в личном чате со мной.
rate-limited = Чуть медленнее — слишком много запросов. Попробуйте через несколько секунд.
format-locale = ru
button-stale = Эта кнопка больше не действует.
button-not-yours = Эта кнопка чужая: нажать её может только тот, для кого она создана.
unknown-command = Я не знаю команду /{ $command }. Отправьте /help, чтобы увидеть, что я умею.
free-text-hint = Не понимаю, что с этим сделать. Отправьте /help, чтобы увидеть команды.
conversation-canceled = Отменено. Ничего не изменено.
conversation-canceled-flow = Отменено: { $flow }. Ничего не изменено.
conversation-left = Я прервал { $flow } (из этого ничего не сохранено), чтобы выполнить /{ $command }.
flow-onboarding = заполнение заявки на доступ
flow-settings-time-zone = выбор часового пояса
flow-new-account = добавление счёта
flow-new-portfolio = создание портфеля
flow-rename-portfolio = переименование портфеля
flow-order-entry = ввод ордера
flow-new-schedule = создание расписания
flow-new-alert = создание оповещения
flow-new-screener = создание скринера
flow-risk-policy = редактирование политики риска
flow-new-strategy = создание стратегии
flow-generic = начатый диалог

## Старт и помощь
start-admin = Здравствуйте, { $name }! Вы администратор.
start-user = Здравствуйте, { $name }! Вот что можно сделать.
help-title = Команды
help-example = Пример
help-group-trading = Торговля
help-group-portfolio = Портфель и деньги
help-group-reports = Отчёты
help-group-risk = Риск
help-group-strategies = Стратегии
help-group-alerts = Оповещения и скринеры
help-group-schedules = Расписания
help-group-settings = Настройки и уведомления
help-group-admin = Администрирование
help-footer = Цены из офлайн-источника синтетические. Нажмите на команду или введите её.
help-footer-pending = Остальные команды станут доступны после одобрения заявки администратором.
help-footer-visitor = Отправьте /start, чтобы подать заявку на доступ; остальные команды откроются, когда администратор её одобрит.

cmd-start = Начать или узнать статус доступа
cmd-start-example = /start
cmd-help = Все доступные вам команды с примерами
cmd-help-example = /help
cmd-settings = Язык, часовой пояс и портфель по умолчанию
cmd-settings-example = /settings
cmd-users = Пользователи: одобрение, отключение, права (админ)
cmd-users-example = /users
cmd-pending = Заявки на доступ, ожидающие решения (админ)
cmd-pending-example = /pending

## Знакомство
onboarding-welcome = Добро пожаловать в TradeDesk — торгового помощника для небольшой группы трейдеров: портфели, ордера, позиции и PnL, риск-лимиты, оповещения и отчёты по расписанию прямо в Telegram. Доступ одобряет администратор.
onboarding-choose-language = Сначала выберите язык:
onboarding-press-button = Пожалуйста, выберите одну из кнопок выше.
onboarding-time-zone = В каком вы часовом поясе? По нему считаются дни, отчёты и периоды PnL. Нажмите кнопку или введите пояс, например Europe/Moscow.
onboarding-time-zone-invalid = «{ $value }» — неизвестный часовой пояс. Введите пояс IANA, например { $example }, или нажмите кнопку.
onboarding-time-zone-again = Пожалуйста, нажмите одну из кнопок или введите часовой пояс, например Europe/Moscow.
onboarding-note = Часовой пояс: { $zone }. Что стоит знать администратору (кто вы, как торгуете)? Отправьте короткую заметку или нажмите «Пропустить».
onboarding-skip = Пропустить
onboarding-note-again = Отправьте заметку текстом или нажмите «Пропустить».
onboarding-submitted = Спасибо! Заявка отправлена администраторам. Я напишу, как только решение будет принято.

## Заявки на доступ
approval-request-title = Новая заявка на доступ
approval-field-name = Имя
approval-field-username = Имя пользователя
approval-field-id = Telegram id
approval-field-language = Язык
approval-field-time-zone = Часовой пояс
approval-field-note = Заметка
approval-approve = ✅ Одобрить
approval-reject = ✖️ Отклонить
approval-done-approved = Одобрено.
approval-done-rejected = Отклонено.
approval-status-approved = ✅ Одобрено ({ $when })
approval-status-rejected = ✖️ Отклонено
approval-status-pending = ⏳ Ждёт решения
approval-approved-title = Доступ открыт
approval-approved-body = Добро пожаловать! Отправьте /help, чтобы увидеть все возможности, или /settings, чтобы настроить язык и часовой пояс.
approval-rejected-title = Заявка на доступ отклонена
approval-rejected-body = Администратор отклонил вашу заявку на доступ.

## Админ: пользователи
users-title = Пользователи — { $filter }
users-summary = показано { $total } · занято мест { $active } из { $max } · страница { $page }/{ $pages }
users-empty = Никого нет.
users-filter-all = все
users-filter-pending = ожидают
users-filter-active = активные
users-filter-inactive = неактивные
users-filter-admins = админы
users-back = « К списку
users-deactivate = ⛔ Отключить
users-reactivate = ♻️ Включить
users-promote = ⭐ Сделать админом
users-demote = Снять права админа
users-field-status = Статус
users-field-approved = Одобрен
users-status-pending = ожидает
users-status-approved = одобрен
users-status-rejected = отклонён
users-status-inactive = отключён
users-status-admin = админ
users-status-blocked = заблокировал бота
users-done-ap = Одобрено.
users-done-rj = Отклонено.
users-done-de = Отключено.
users-done-re = Включено.
users-done-pr = Теперь администратор.
users-done-dm = Больше не администратор.
users-confirm-rj = Отклонить заявку на доступ от { $name }? Пользователь получит сообщение и сможет подать заявку снова через 24 часа.
users-confirm-rj-yes = ✖️ Да, отклонить
users-confirm-de = Отключить { $name }? Доступ пропадёт сразу (данные сохранятся), пользователь получит сообщение.
users-confirm-de-yes = ⛔ Да, отключить
users-confirm-re = Вернуть доступ { $name }? Пользователь получит сообщение.
users-confirm-re-yes = ♻️ Да, вернуть доступ
users-confirm-pr = Сделать { $name } администратором? Администраторы одобряют пользователей и видят их статусы.
users-confirm-pr-yes = ⭐ Да, сделать администратором
users-confirm-dm = Снять права администратора с { $name }? Собственный доступ сохранится.
users-confirm-dm-yes = Да, снять права
users-confirm-no = « Нет, назад
access-change-de-title = Доступ приостановлен
access-change-de-body = Администратор отключил ваш доступ. Данные сохранены; пока администратор не вернёт доступ, работают только /start и /help.
access-change-re-title = Доступ восстановлен
access-change-re-body = Администратор вернул вам доступ. Отправьте /help, чтобы увидеть, что можно делать.
access-change-pr-title = Теперь вы администратор
access-change-pr-body = Администратор дал вам права администратора: /users и /pending показывают пользователей и их заявки на доступ.
access-change-dm-title = Права администратора сняты
access-change-dm-body = Администратор снял с вас права администратора. Ваш собственный доступ не изменился.

## Настройки
settings-title = ⚙️ Настройки
settings-language = Язык
settings-time-zone = Часовой пояс
settings-default-portfolio = Портфель по умолчанию
settings-none = пока нет
settings-from-telegram = из Telegram
settings-back = Назад
settings-other-zone = Другой…
settings-type-zone = Введите часовой пояс, например { $example }. Отправьте /cancel, чтобы оставить текущий.
settings-type-zone-again = Введите часовой пояс текстом или /cancel.
settings-zone-saved = Часовой пояс: { $zone } ({ $offset }).
settings-no-portfolios = Портфелей пока нет
settings-no-portfolios-hint = Сначала создайте портфель: /newportfolio.

## Названия полей и объектов (внутри сообщений об ошибках)
field-quantity = Количество
field-price = Цена
field-stopPrice = Стоп-цена
field-takeProfit = Тейк-профит
field-stopLoss = Стоп-лосс
field-trail = Отступ трейлинга
field-trailAmount = Отступ трейлинга
field-trailPercent = Процент трейлинга
field-symbol = Инструмент
field-side = Направление
field-type = Тип ордера
field-timeInForce = Срок действия
field-name = Название
field-broker = Брокер
field-baseCurrency = Валюта
field-currency = Валюта
field-openingBalance = Начальный баланс
field-secretRef = Ссылка на API-ключ
field-testnet = Тестовая сеть
field-amount = Сумма
field-portfolio = Портфель
field-feeValue = Стоимость комиссии
field-fee = Комиссия
field-brokerTradeId = Id сделки
field-brokerOrderId = Id ордера у брокера
field-clientOrderId = Клиентский id ордера
field-execTime = Время исполнения
field-language = Язык
field-timeZone = Часовой пояс
entity-portfolio = портфель
entity-account = счёт
entity-order = ордер
entity-instrument = инструмент
entity-user = пользователь
entity-strategy = стратегия
entity-strategy-instance = запущенная стратегия

## Ошибки
error-unexpected = Простите, у меня что-то пошло не так. Ничего не изменено. (код { $ref })
error-not-found = Такой объект ({ $entityName }, { $ref }) не существует или не ваш.
error-conflict = { $fieldName }: такое значение уже занято.
error-access-pending = Ваша заявка на доступ ещё ждёт одобрения.
error-access-revoked = Ваш доступ отключён.
error-admin-only = Это могут делать только администраторы.
error-not-a-number = { $fieldName }: «{ $value }» — не число. Пишите цифры с точкой или запятой, например 1000.50, 1,000.50, 1 000,50 или 0.25.
error-number-ambiguous = { $fieldName }: «{ $value }» можно прочитать двояко (тысяча или десятичная запятая?). Для тысячи напишите 1000 или 1 000, для дроби — 1.5 или 1,5.
error-number-too-large = { $fieldName }: слишком большое значение, не более { $max }.
error-must-be-positive = { $fieldName } должно быть больше нуля (получено { $value }).
error-must-not-be-negative = { $fieldName } не может быть отрицательным (получено { $value }).
error-too-many-decimals = { $fieldName }: слишком много знаков после точки (не более { $max }).
error-too-long = { $fieldName }: слишком длинно (не более { $max } символов).
error-field-required = Для ордера { $type } нужно указать: { $fieldName }.
error-field-not-allowed = Для ордера { $type } не указывается: { $fieldName }.
error-invalid-side = { $fieldName }: «{ $value }» — не BUY и не SELL.
error-invalid-type = { $fieldName }: «{ $value }» — не тип ордера (market, limit, stop, stop-limit, trailing).
error-invalid-tif = { $fieldName }: «{ $value }» — не одно из GTC, IOC, FOK, DAY.
error-invalid-time = { $fieldName }: неверное время.
error-unknown-symbol = Я не знаю инструмент «{ $symbol }».{ $suggestions ->
    [none] {""}
   *[other] {" "}Возможно, вы имели в виду { $suggestions }?
}
error-symbol-ambiguous = «{ $symbol }» торгуется на нескольких биржах; укажите биржу, например { $symbol }@BINANCE.
error-quantity-lot = { $fieldName } { $value } не кратно лоту { $lot } для { $symbol }.
error-quantity-min = { $fieldName } { $value } меньше минимума { $min } для { $symbol }.
error-price-tick = { $fieldName } { $value } не соответствует шагу цены { $tick } для { $symbol }.
error-notional-too-large = Сумма ордера (количество × цена) слишком велика для { $symbol }: не более { $max }.
error-min-notional = Сумма ордера { $notional } меньше минимальной { $min } для { $symbol }.
error-buy-stop-below-market = Стоп на покупку должен быть выше рынка: стоп { $stop }, рынок { $market }.
error-sell-stop-above-market = Стоп на продажу должен быть ниже рынка: стоп { $stop }, рынок { $market }.
error-buy-limit-below-stop = Для стоп-лимита на покупку лимит ({ $price }) должен быть не ниже стопа ({ $stop }).
error-sell-limit-above-stop = Для стоп-лимита на продажу лимит ({ $price }) должен быть не выше стопа ({ $stop }).
error-trail-one-of = Для трейлинг-стопа укажите либо сумму, либо процент, но не оба.
error-trail-percent-range = Процент трейлинга должен быть больше 0 и меньше 100 (получено { $value }).
error-client-order-id-invalid = Клиентский id может содержать буквы, цифры и . _ : - (не более { $max }).
error-duplicate-client-order-id = Ордер с таким клиентским id уже существует.
error-order-transition = Ордер не может перейти из { $from } в { $to }.
error-order-not-open = { $statusCode ->
        [CANCELED] Ордер #{ $id } уже отменён.
        [FILLED] Ордер #{ $id } уже исполнен: отменять нечего.
        [EXPIRED] Срок ордера #{ $id } уже истёк.
        [REJECTED] Ордер #{ $id } был отклонён и не работал.
       *[other] Ордер #{ $id } в статусе { $status }, его уже нельзя отменить.
    }
error-unknown-order = В ваших портфелях нет ордера { $ref }.
error-broker-order-id-mismatch = Брокер сообщил другой id для этого ордера.
error-overfill = Это исполнение довело бы ордер #{ $order } до { $filled }, больше его объёма { $quantity }.
error-fee-exceeds-quantity = Комиссия { $fee } { $asset } с покупки { $quantity } не оставила бы ничего купленного.
error-fill-side-mismatch = Направление исполнения не совпадает с ордером.
error-fill-instrument-mismatch = Инструмент исполнения не совпадает с ордером.
error-no-cash-in-currency = { $symbol } торгуется в { $currency }, а в { $portfolio } нет { $currency }: его счёт в { $base }. Торгуйте им из портфеля на счёте в { $currency } (/newaccount, затем /newportfolio) или внесите { $currency } в { $portfolio }: /deposit 1000 { $currency } { $portfolio }.
error-insufficient-cash = Недостаточно средств: доступно { $available } { $currency }, нужно { $required } { $currency }.
error-short-not-allowed = В этой позиции у вас { $held } { $asset }; на спотовом счёте нельзя продать больше, чем есть (короткие продажи недоступны). Свободно для продажи: { $free } { $asset }.
error-short-committed = У вас { $held } { $asset } (из них { $committed } заняты открытыми ордерами на продажу); на спотовом счёте нельзя продать больше, чем есть (короткие продажи недоступны). Свободно для продажи: { $free } { $asset }.
error-insufficient-free-cash = Недостаточно свободных денег в { $portfolio }: свободно { $available } { $currency }, нужно { $required } { $currency }. Из { $balance } { $currency } в резерве { $reserved } { $currency } под открытые ордера на покупку ({ $orders }); отмените ордер, чтобы освободить деньги.
error-cash-not-free = В { $portfolio } свободно { $free } { $currency } — меньше запрошенных { $requested } { $currency }. { $orders ->
        [0] Деньги портфеля: { $balance } { $currency }.
       *[other] Из { $balance } { $currency } в резерве { $reserved } { $currency } под открытые ордера на покупку ({ $orders }); отмените ордер, чтобы освободить деньги.
    }
error-transfer-same-portfolio = С обеих сторон перевода портфель { $name }: назовите два разных портфеля.
error-transfer-other-account = { $from } на счёте { $fromAccount }, а { $to } — на { $toAccount }: деньги переводятся только между портфелями одного счёта. Снимите их в одном и внесите в другой.
error-unknown-broker = «{ $value }» — неизвестный брокер.
error-opening-balance-paper-only = Начальный баланс бывает только у учебных счетов; реальный баланс приходит от брокера.
error-paper-no-secret = Учебному счёту не нужен API-ключ.
error-paper-no-testnet = У учебного счёта нет тестовой сети: учебный брокер и так не использует настоящие деньги.
error-currency-unknown = { $value } — не валюта этого счёта. Допустимые: { $allowed }.
error-balance-too-large = После этого пополнения баланс { $currency } превысил бы { $max }.
error-currency-invalid = «{ $value }» — не код валюты (2–10 латинских букв, например USD или USDT).
error-account-name-taken = У вас уже есть счёт «{ $name }».
error-account-has-portfolios = У этого счёта ещё есть портфели ({ $count }). Сначала удалите их.
error-portfolio-name-taken = У вас уже есть портфель «{ $name }».
error-portfolio-not-flat = В портфеле «{ $name }» ещё открыто позиций: { $positions }, ордеров: { $orders } — удалить его нельзя. Сначала отмените ордера и закройте позиции; история в любом случае сохраняется.
error-portfolio-archived = Портфель «{ $name }» в архиве: его историю можно смотреть, но новых ордеров и настроек он не принимает.
error-portfolio-has-cash = В портфеле «{ $name }» ещё { $amount } { $currency }. Сначала переведите их в другой портфель (/transfer) или снимите (/withdraw).
error-unknown-portfolio = У вас нет портфеля «{ $ref }».
error-no-portfolio = У вас пока нет портфеля. Создайте его: /newportfolio.
error-name-empty = { $fieldName } не может быть пустым.
error-name-invalid = { $fieldName } содержит недопустимые символы.
error-name-too-long = { $fieldName }: слишком длинно (не более { $max } символов).
error-invalid-time-zone = «{ $value }» — неизвестный часовой пояс. Используйте название IANA, например { $example }.
error-unsupported-language = Язык «{ $value }» недоступен; выберите один из: { $supported }.
error-user-cap = Достигнут лимит пользователей ({ $max } активных). Сначала отключите кого-нибудь.
error-already-approved = { $name } уже одобрен.
error-reapply-too-early = Подать заявку на доступ снова можно с { $at }.
error-not-pending = { $name } не ждёт решения (статус: { $status }).
error-already-active = { $name } уже активен.
error-already-inactive = { $name } уже отключён.
error-already-admin = { $name } уже администратор.
error-not-admin = { $name } не администратор.
error-promote-unapproved = Администратором может стать только одобренный активный пользователь.
error-cannot-deactivate-self = Нельзя отключить самого себя.
error-last-admin = Тогда не останется ни одного администратора. Сначала назначьте другого.
error-amend-type = Ордер #{ $id } нельзя изменить: меняются только лимитные, стоп-, стоп-лимитные и трейлинг-ордера.
error-amend-native-oco = Ордер #{ $id } — половина OCO-пары, которую связывает биржа: отдельно его не изменить. Отмените его (биржа отменит и вторую половину) и выставьте новую связку.
error-amend-no-price = У этого ордера нет лимитной цены.
error-amend-no-stop = У этого ордера нет цены срабатывания.
error-amend-nothing = Нечего менять: у ордера #{ $id } уже эти значения.
error-amend-below-filled = Ордер #{ $id } уже исполнен на { $filled }: новый общий объём { $quantity } должен быть больше.
error-bracket-tp-below-entry = Тейк-профит { $price } должен быть выше цены входа { $entry } для покупки.
error-bracket-tp-above-entry = Тейк-профит { $price } должен быть ниже цены входа { $entry } для продажи.
error-bracket-sl-above-entry = Стоп-лосс { $price } должен быть ниже цены входа { $entry } для покупки.
error-bracket-sl-below-entry = Стоп-лосс { $price } должен быть выше цены входа { $entry } для продажи.
error-bracket-percent = Процент тейк-профита или стоп-лосса должен быть больше 0 (а стоп-лосса — меньше 100): «{ $value }».
