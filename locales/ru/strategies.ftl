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
