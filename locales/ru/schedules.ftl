# Расписания и отчёты: /newschedule, /schedules, /report, тексты и графики отчётов по расписанию.

## команды
cmd-newschedule = Запланировать отчёт или запуск скринера
cmd-newschedule-example = /newschedule
cmd-schedules = Ваши расписания: ближайшие запуски, пауза, запуск сейчас, удаление
cmd-schedules-example = /schedules
cmd-report = Сводка по портфелю сейчас, с графиком
cmd-report-example = /report Main month

## поля и сущности в сообщениях об ошибках
field-scheduleCron = Расписание
field-scheduleChat = Чат
field-scheduleScreener = Скринер
field-scheduleTarget = Отчёт
entity-schedule = расписание

## ошибки
error-schedule-cron-empty = Введите cron-выражение из пяти полей, например { $example } (в 09:00 по будням).
error-schedule-cron-invalid = «{ $cron }» — неверное cron-выражение: { $problem ->
        [count] в нём полей: { $count }
        [length] оно длиннее { $max } символов
        [field] { $field ->
            [minute] минута (0–59)
            [hour] час (0–23)
            [day] день месяца (1–31)
            [month] месяц (1–12 или JAN–DEC)
           *[weekday] день недели (0–7 или MON–SUN)
        } не может быть «{ $value }»
       *[other] поля не складываются в расписание
    }. Нужно пять полей — минута, час, день месяца, месяц, день недели, — например { $example } (в 09:00 по будням).
error-schedule-cron-never = «{ $cron }» никогда не сработает (такой даты не бывает). Попробуйте, например, { $example } (в 09:00 по будням).
error-schedule-cron-too-frequent = «{ $cron }» срабатывает чаще, чем раз в { $minutes } минут, — это завалит чат сообщениями. Попробуйте, например, { $example } (в 09:00 по будням).
error-schedule-time-zone-invalid = Часовой пояс «{ $value }» мне неизвестен. Укажите имя из базы IANA, например { $example }.
error-schedule-preset-unknown = «{ $value }» — не из предложенных вариантов расписания.
error-schedule-name-taken = У вас уже есть расписание «{ $name }». Выберите другое название.
error-schedule-limit = Достигнут предел в { $max } расписаний. Сначала удалите какое-нибудь в /schedules.
error-schedule-not-found = Такого расписания ({ $ref }) нет или оно не ваше.
error-schedule-target-invalid = Такой отчёт нельзя запланировать: выберите сводку по портфелю, отчёт о прибыли или скринер.
error-schedule-screener-unknown = Скринера { $ref } нет или он не ваш.
error-schedule-screeners-unavailable = В этой установке запуск скринеров по расписанию недоступен.
error-schedule-chat-unavailable = Этот чат не входит в ваши активные чаты. Сначала подключите группу к боту или выберите личный чат.
error-schedule-config-corrupt = Расписание { $id } повреждено и не может запускаться; удалите его и создайте заново.

## что, когда, куда
schedule-kind-summary = Сводка по портфелю
schedule-kind-pnl = Отчёт о прибыли
schedule-kind-screener = Запуск скринера
schedule-preset-weekdays = По будням в 09:00
schedule-preset-mondays = По понедельникам в 09:00
schedule-preset-hourly = Каждый час
schedule-preset-evenings = Каждый день в 18:00
schedule-target-gone = (удалён)
schedule-dest-private = личный чат
schedule-dest-untitled = чат без названия
schedule-dest-inactive = неактивен
schedule-dest-none = нет чата

## /newschedule
schedule-ask-kind = Что запланировать?
schedule-ask-kind-again = Выберите кнопкой выше или отправьте /cancel.
schedule-ask-portfolio = Какой портфель?
schedule-ask-portfolio-again = Выберите портфель кнопкой выше или отправьте /cancel.
schedule-ask-screener = Какой скринер?
schedule-ask-screener-again = Выберите скринер кнопкой выше или отправьте /cancel.
schedule-ask-period = За какой период?
schedule-ask-period-again = Выберите период кнопкой выше или отправьте /cancel.
schedule-need-portfolio = У вас ещё нет портфеля. Создайте его командой /newportfolio, а затем запланируйте отчёты.
schedule-need-screener = У вас ещё нет скринеров. Сначала создайте скринер, потом запланируйте его.
schedule-ask-when = Когда запускать? Время — в вашем часовом поясе ({ $zone }).
schedule-ask-when-again = Выберите кнопкой выше, введите cron-выражение или отправьте /cancel.
schedule-custom-cron = Своё cron-выражение
schedule-ask-cron = Введите cron-выражение: минута, час, день месяца, месяц, день недели — в вашем часовом поясе ({ $zone }). Например:
schedule-cron-example-meaning = в 09:00 по будням
schedule-ask-cron-again = Введите выражение ещё раз или отправьте /cancel.
schedule-cron-preview = Запуск:
schedule-next-runs = Ближайшие запуски:
schedule-confirm-cron = Использовать это расписание?
schedule-confirm-yes = Да
schedule-confirm-change = Изменить
schedule-confirm-again = Подтвердите или измените кнопками выше, или отправьте /cancel.
schedule-ask-chat = Куда присылать отчёты?
schedule-ask-chat-again = Выберите чат кнопкой выше или отправьте /cancel.
schedule-ask-name = Назовите расписание (или возьмите предложенное название):
schedule-ask-name-again = Введите другое название или отправьте /cancel.
schedule-saved = Сохранено: «{ $name }».
schedule-saved-hint = Смотреть расписания и управлять ими — /schedules.

## /schedules
schedules-title = Ваши расписания ({ $count }) · стр. { $page }/{ $pages }
schedules-none = У вас пока нет расписаний. Создайте первое командой /newschedule.
schedules-next = Следующий запуск: { $time }
schedules-no-next = Запусков больше не будет.
schedules-paused = На паузе.
schedules-btn-pause = ⏸ Пауза №{ $n }
schedules-btn-resume = ▶️ Возобновить №{ $n }
schedules-btn-run = 🚀 Запустить №{ $n }
schedules-btn-delete = 🗑 №{ $n }
schedules-paused-done = «{ $name }» на паузе.
schedules-resumed-done = «{ $name }» снова работает.
schedules-delete-confirm = Удалить расписание «{ $name }»? Уже отправленные отчёты останутся.
schedules-delete-yes = Удалить
schedules-delete-keep = Оставить
schedules-deleted = «{ $name }» удалено.
schedules-run-queued = «{ $name }» запущено: отчёт придёт через мгновение.
schedules-run-not-queued = «{ $name }» уже запускалось в эту минуту, или его чат не принимает отчёты (заглушён или получает только предупреждения).
schedules-run-no-chat = Чат этого расписания больше не активен. Сначала боту нужно вернуться в этот чат.

## отчёты
report-summary-title = 📊 { $portfolio } — сводка
report-pnl-title = 💰 { $portfolio } — прибыль, { $period }
report-screener-title = 🔎 Скринер «{ $screener }»
report-as-of = На { $time } ({ $zone })
report-period-yesterday = вчера
report-period-today = сегодня
report-period-week = за неделю
report-period-month = за месяц
report-period-year = за год
report-period-all = за всё время
report-section-value = Стоимость
report-section-pnl = Прибыль
report-section-positions = Позиции
report-section-movers = Сильнее всего изменились сегодня (сутки UTC)
report-section-orders = Открытые ордера ({ $count })
report-col-positions = Позиции
report-col-cash = Деньги
report-col-total = Итого
report-col-symbol = Тикер
report-col-qty = Кол-во
report-col-last = Цена
report-col-value = Стоимость
report-col-unrealized = Нереал.
report-col-realized = Реализ.
report-col-fees = Комиссии
report-col-net = Итог
report-empty-portfolio = Пока ничего нет.
report-no-positions = Открытых позиций нет.
report-no-orders = Открытых ордеров нет.
report-no-pnl = За этот период прибыли и убытка нет.
report-more = … и ещё { $count }
report-since = С { $from }
report-since-start = С первой сделки
report-pnl-total = Чистый PnL { $currency }
report-pnl-breakdown = реализованная { $realized }, нереализованная { $unrealized }, комиссии { $fees }
report-section-performance = Результат { $period }
report-perf-value = Стоимость: { $start } → { $end } { $currency }
report-perf-flows = Пополнения и выводы (нетто): { $net } { $currency }
report-perf-flows-both = Пополнения и выводы (нетто): { $net } { $currency } (пополнения { $deposits }, выводы { $withdrawals })
report-perf-return = Доходность (взвешенная по времени): { $twr }
report-perf-profit = Прибыль: { $profit } { $currency }
report-section-exchange = На { $broker } (остатки счёта, как их сообщает биржа)
report-exchange-cash = Деньги: { $cash }
report-exchange-equity = Капитал: { $equity }
report-exchange-unpriced = Без оценки (нет котировки): { $assets }
report-exchange-no-history = Пополнения и выводы проходят на { $broker }, поэтому стоимость живого счёта во времени и его доходность здесь не считаются.
report-screener-summary = Совпадений: { $matches } из { $scanned } инструментов.
report-screener-none = Сейчас совпадений нет.
report-prices-synthetic = синтетические цены
report-cash = Деньги
report-other = Прочее
report-chart-equity = Стоимость портфеля, { $currency } ({ $period })
report-chart-allocation = Распределение, { $currency }
report-catch-up = Догоняющий отчёт: он должен был прийти в { $due }, когда бот был отключён.
report-catch-up-skipped = { $count ->
    [one] Ещё { $count } более ранний запуск пропущен.
    [few] Ещё { $count } более ранних запуска пропущены.
   *[other] Ещё { $count } более ранних запусков пропущено.
}
report-run-now-note = Запуск по запросу.
report-schedule-next = следующий запуск { $time }
report-schedule-no-next = больше запусков не будет
report-failed-title = ⚠️ Расписание «{ $name }» не сработало
report-failed-unexpected = Отчёт не удалось собрать из-за внутренней ошибки. Попробуем снова при следующем запуске.
