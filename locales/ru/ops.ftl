# Эксплуатация: /status для администраторов (то же, что сообщает /healthz)
cmd-status = Состояние: база, задания, очередь уведомлений, счётчики (админ)
cmd-status-example = /status

status-title = 🩺 Состояние
status-healthy = ✅ Всё в порядке.
status-unhealthy = ⚠️ Требует внимания: { $count } { $count ->
    [one] проблема
    [few] проблемы
   *[other] проблем
  }.
status-database-ok = База данных: ✅ отвечает за { $ms } мс
status-database-down = База данных: ❌ недоступна ({ $error })
status-jobs-leading = Задания: выполняет этот экземпляр
status-jobs-following = Задания: выполняет другой экземпляр на этой базе
status-jobs-off = Задания: отключены в этом экземпляре (JOBS_ENABLED=false)
status-job = { $icon } { $name }: последний запуск { $ago } назад, каждые { $every } · запусков { $runs }, с ошибкой { $failures }
status-job-never = { $icon } { $name }: ещё не запускалось, каждые { $every }
status-job-error = последняя ошибка: { $error }
status-outbox = Очередь уведомлений: ожидают { $pending } · отправляются { $sending } · отправлены { $sent } · недоставленные { $failed }
status-outbox-oldest = { $icon } Старейшее недоставленное: { $age } (предел { $limit })
status-outbox-none = Старейшее недоставленное: нет
status-backup = { $icon } Последняя резервная копия: { $ago }, { $size } · хранится { $total }, каждые { $every }
status-backup-none = { $icon } Резервных копий ещё нет
status-backup-failed = последнее резервное копирование не удалось: { $error }
status-totals = С запуска ({ $uptime }): обновлений { $updates } · команд { $commands } · ошибок { $errors }
status-unavailable = Состояние недоступно в этом процессе.
unit-s = с
unit-min = мин
unit-h = ч
unit-d = дн
