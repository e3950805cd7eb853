# Резервные копии (/backup) и уведомление о неудачном копировании

cmd-backup = Резервные копии: последние, сделать сейчас (админ)
cmd-backup-example = /backup

backup-title = 💾 Резервные копии ({ $provider })
backup-schedule = Каждые { $every } · хранятся { $hourly } почасовых, { $daily } ежедневных, { $weekly } еженедельных
backup-folder = Папка:
backup-none = Резервных копий пока нет.
backup-more = … и ещё { $count } старше
backup-running = ⏳ Сейчас идёт резервное копирование.
backup-now = Сделать копию
backup-refresh = Обновить
backup-started = Делаю резервную копию…
backup-done = Копия сделана: { $size } за { $seconds } с. Удалено старых копий: { $pruned }.
backup-usage = /backup без аргументов: показывает копии и кнопку «Сделать копию».
backup-every-minutes = { $n } мин
backup-every-hours = { $n } ч
backup-every-days = { $n } дн.
backup-age-now = только что
backup-age-minutes = { $n } мин назад
backup-age-hours = { $n } ч назад
backup-age-days = { $n } дн. назад
backup-size-b = { $n } Б
backup-size-kb = { $n } КБ
backup-size-mb = { $n } МБ
backup-size-gb = { $n } ГБ

backup-failed-title = Резервное копирование не удалось
backup-failed-body = Резервное копирование ({ $trigger }) в { $when } (UTC) не удалось:
backup-failed-hint = Старые копии не удалялись. Проверьте диск и журналы, затем нажмите «Сделать копию» в /backup.
backup-trigger-schedule = по расписанию
backup-trigger-admin = по запросу
backup-trigger-cli = из командной строки

error-backup-failed = Резервное копирование не удалось: { $reason }
