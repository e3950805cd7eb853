# Риск: политики, проверка перед сделкой, нарушения, риск-монитор

cmd-risk = Лимиты риска портфеля: использование и последние нарушения
cmd-risk-example = /risk Main
cmd-newpolicy = Настроить политику риска по шагам
cmd-newpolicy-example = /newpolicy
cmd-policy = Удалить, приостановить или возобновить политику риска
cmd-policy-example = /policy pause 12
cmd-userpolicy = Политики риска пользователя и новая политика для него (админ)
cmd-userpolicy-example = /userpolicy @trader

## Правила и действия
risk-rule-max-risk-per-trade = Риск на сделку
risk-rule-max-exposure-pct = Позиция в одном инструменте (% капитала)
risk-rule-max-exposure-abs = Позиция в одном инструменте (сумма)
risk-rule-daily-loss = Дневной убыток
risk-rule-max-leverage = Плечо
risk-rule-max-orders = Ордеров в день
risk-rule-min-cash-pct = Минимум денег (% капитала)
risk-rule-min-cash-abs = Минимум денег (сумма)
risk-currency-any = в валюте каждого портфеля
risk-action-warn = предупредить
risk-action-reduce = уменьшить объём
risk-action-block = запретить
risk-limit-max = не более { $value }
risk-limit-min = не менее { $value }
risk-closes-positions = закрывает позиции
risk-scope-user = я (каждый мой портфель)
risk-scope-portfolio = портфель { $name }
risk-scope-strategy = стратегия { $name }

## /risk
risk-title = 🛡 Риск — { $portfolio } ({ $currency })
risk-equity-line = Капитал { $equity } · деньги { $cash } · сегодня { $pnl } ({ $pct })
risk-note-excluded = Не учтены, так как не пересчитываются в { $currency }: { $positions }
risk-note-currency = Лимиты объёма не проверены: { $symbol } котируется в { $orderCurrency }, а портфель — в { $portfolioCurrency }.
risk-no-policies = Здесь пока не действует ни одна политика риска. Добавьте её через /newpolicy.
risk-no-policies-user = Политик риска пока нет.
risk-paused = приостановлена
risk-managed = задана админом
risk-usage = { $observed } из { $limit } ({ $used } %)
risk-usage-limit-only = не более { $limit }
risk-latest-breaches = Последние нарушения
risk-new-policy = Новая политика
risk-new-user-policy = Новая политика для пользователя
risk-user-title = Политики риска: { $name }
risk-breach-blocked = запрещено
risk-breach-warned = предупреждение
risk-breach-reduced = объём уменьшен
risk-breach-closed = позиции закрыты
risk-observed-vs-limit = { $observed } (лимит { $limit })
risk-no-equity = нет положительного капитала для расчёта (лимит { $limit })
risk-policy-usage = Используйте /policy delete ID, /policy pause ID или /policy resume ID (ID показан в /risk).
risk-deleted = Политика «{ $name }» (#{ $id }) удалена.
risk-paused-done = Политика «{ $name }» (#{ $id }) приостановлена.
risk-resumed = Политика «{ $name }» (#{ $id }) снова действует.
risk-paused-short = Приостановлена.
risk-resumed-short = Снова действует.
risk-deleted-short = Удалена.
risk-delete-confirm = Удалить политику «{ $name }» (#{ $id })?
risk-delete-yes = Да, удалить
risk-delete-no = Оставить
risk-userpolicy-usage = Укажите после /userpolicy Telegram id или @username.

## Карточка ордера
risk-outcome-allow = ✅ В пределах ваших лимитов риска.
risk-outcome-warn = ⚠️ Ордер нарушает лимит риска. Подтвердите, чтобы всё равно выставить его.
risk-outcome-reduce = ✂️ Объём уменьшен с { $requested } до { $quantity } { $symbol }, чтобы уложиться в лимиты риска.
risk-outcome-block = ⛔ Запрещено вашими лимитами риска.
risk-reduce-too-small = меньший объём тоже не проходит

## Уведомления
risk-notice-blocked = Ордер запрещён лимитом риска
risk-notice-reduced = Ордер уменьшен лимитом риска
risk-notice-warned = Предупреждение о риске по ордеру
risk-notice-closed = Позиции закрыты: дневной лимит убытка
risk-notice-watch = Нарушен лимит риска
risk-notice-portfolio = Портфель: { $name }
risk-notice-order = Ордер: { $side } { $quantity } { $symbol }
risk-notice-reduced-to = Выставлен на { $quantity } { $symbol }
risk-closed-ok = { $order } — ордер #{ $id }
risk-closed-failed = { $order } — не закрыта: { $reason }
risk-notice-see = Подробнее: /risk

## Диалог политики
risk-ask-scope = Где должна действовать политика?
risk-press-button = Выберите кнопкой выше или отправьте /cancel.
risk-default-name = Лимиты: { $scope }
risk-ask-name = Назовите политику или оставьте «{ $name }».
risk-use-name = Оставить «{ $name }»
risk-ask-max-risk-per-trade = Сколько капитала (в %) может рисковать один ордер: расстояние до стопа, умноженное на объём, а без стопа — вся сумма ордера. Нажмите значение, введите своё или пропустите.
risk-ask-max-exposure-pct = Наибольшая позиция в одном инструменте после ордера, в % капитала.
risk-ask-max-exposure-abs = Наибольшая позиция в одном инструменте после ордера, суммой в валюте портфеля.
risk-ask-daily-loss = Наибольший убыток за день (зафиксированный и бумажный, с вашей полуночи), в % капитала на начало дня.
risk-ask-max-leverage = Во сколько раз все позиции вместе могут превышать капитал (1 — без плеча).
risk-ask-max-orders = Сколько ордеров в день можно выставить в портфеле.
risk-ask-min-cash-pct = Сколько денег должно остаться после покупки, в % капитала.
risk-ask-min-cash-abs = Сколько денег должно остаться после покупки, суммой в валюте портфеля.
risk-current = Сейчас: { $value }
risk-keep = Оставить
risk-skip = Пропустить
risk-remove = Убрать
risk-done = Готово
risk-value-again = Нажмите значение, введите число или нажмите «Пропустить» либо «Готово».
risk-ask-action = { $rule }: { $value }. Что делать с ордером, который нарушает лимит?
risk-ask-close = Если дневной лимит убытка нарушен, закрывать ли позиции рыночными ордерами?
risk-close-yes = Да, закрывать
risk-close-no = Нет, только сообщить
risk-nothing-set = Ни одно правило не задано, ничего не сохранено.
risk-confirm = Сохранить политику?
risk-save = Сохранить
risk-drop = Отменить
risk-created = Политика #{ $id } сохранена.
risk-updated = Политика #{ $id } обновлена.
risk-see-risk = Её текущее использование — в /risk.

## Названия полей и сущностей
field-config = Политика
field-scope = Область действия
field-maxRiskPerTradePct = Риск на сделку
field-maxExposurePerAssetPct = Позиция в инструменте (%)
field-maxExposurePerAssetAbs = Позиция в инструменте (сумма)
field-dailyLossLimitPct = Дневной лимит убытка
field-maxLeverage = Плечо
field-maxOrdersPerDay = Ордеров в день
field-minCashPct = Минимум денег (%)
field-minCashAbs = Минимум денег (сумма)
entity-policy = политика риска

## Ошибки
error-risk-max-risk-per-trade = Этот ордер рискует { $observed } % капитала; ваш лимит — { $limit } %.
error-risk-max-exposure-pct = После ордера { $symbol } составит { $observed } % капитала; ваш лимит — { $limit } %.
error-risk-max-exposure-abs = После ордера позиция { $symbol } будет стоить { $observed } { $currency }; ваш лимит — { $limit } { $currency }.
error-risk-daily-loss = Убыток за сегодня — { $observed } % капитала на начало дня; ваш лимит — { $limit } %. Сегодня можно только сокращать позиции.
error-risk-max-leverage = После ордера позиции составят { $observed }× капитала; ваш лимит — { $limit }×.
error-risk-max-orders = Это был бы { $observed }-й ордер за сегодня; ваш лимит — { $limit } в день.
error-risk-min-cash-pct = После покупки деньги составят { $observed } % капитала; вы держите не менее { $limit } %.
error-risk-min-cash-abs = После покупки денег останется { $observed } { $currency }; вы держите не менее { $limit } { $currency }.
error-risk-no-equity = У портфеля нет положительного капитала ({ $equity } { $currency }), поэтому новая позиция не проходит лимиты риска.
error-risk-reduce-too-small = Ордер нарушает лимиты риска, и меньший объём тоже не проходит (минимум для { $symbol } — { $min }).
error-risk-config-object = Политика — это набор правил, у каждого лимит и действие (warn, reduce или block).
error-risk-unknown-rule = «{ $name }» — не правило риска. Правила: maxRiskPerTradePct, maxExposurePerAssetPct, maxExposurePerAssetAbs, dailyLossLimitPct, maxLeverage, maxOrdersPerDay, minCashPct, minCashAbs.
error-risk-unknown-key = { $fieldName }: «{ $name }» — не настройка (есть limit, action и closePositions).
error-risk-rule-object = Для «{ $fieldName }» нужны лимит и действие.
error-risk-limit-required = Для «{ $fieldName }» нужен лимит.
error-risk-action-required = Для «{ $fieldName }» нужно действие: warn, reduce или block.
error-risk-action-invalid = { $fieldName }: { $value } — не действие; используйте warn, reduce или block.
error-risk-close-flag = { $fieldName }: closePositions должно быть true или false.
error-risk-limit-pct = { $fieldName }: значение должно быть больше { $min } % и не больше { $max } % (получено { $value }).
error-risk-limit-leverage = { $fieldName }: значение должно быть от { $min } до { $max } (получено { $value }).
error-risk-limit-count = { $fieldName }: значение должно быть от { $min } до { $max } (получено { $value }).
error-risk-limit-whole = { $fieldName }: нужно целое число (получено { $value }).
error-risk-reduce-not-applicable = «{ $fieldName }» не исправить меньшим ордером, поэтому «reduce» не подходит: используйте warn или block.
error-risk-close-not-applicable = «{ $fieldName }» не может закрывать позиции; это умеет только дневной лимит убытка.
error-risk-no-rules = В политике должно быть хотя бы одно правило.
error-risk-min-cash-one-of = Задайте минимум денег либо в процентах, либо суммой, но не обоими способами.
error-risk-policy-managed = Эту политику для вас задал админ; изменить её может только админ.
error-risk-scope-id-required = Укажите, для какого объекта ({ $scope }) эта политика.
error-risk-scope-invalid = «{ $value }» — не область действия; используйте USER, PORTFOLIO или STRATEGY.
error-risk-too-many-policies = У вас уже { $max } политик. Сначала удалите одну.
error-risk-user-scope-self = Политику на пользователя можно задать только себе; админы задают другим через /userpolicy.
