# Уведомления: получатели (/chats) и очередь отправки (/outbox)

cmd-chats = Куда приходят уведомления: чаты, группы, каналы
cmd-chats-example = /chats
cmd-link = Привязать эту группу или канал (отправьте там с вашим кодом)
cmd-link-example = /link K7PM-2XQA
cmd-outbox = Доставка уведомлений: счётчики, недоставленные, повтор (админ)
cmd-outbox-example = /outbox

chats-title = 🔔 Получатели уведомлений
chats-explain = Каждый получатель получает уведомления не ниже своей минимальной важности (INFO < WARNING < ERROR < CRITICAL). Нажмите, чтобы изменить.
chats-private = Личный чат со мной
chats-add = Добавить группу или канал
chats-add-how = Добавьте @{ $bot } в группу или канал (в канал — администратором), затем отправьте туда это сообщение:
chats-add-expires = Код одноразовый и действует до { $when }.
chats-link-usage = Отправьте /link с вашим кодом в группе или канале, которые хотите добавить. Код можно получить в /chats → «Добавить группу или канал».
chats-linked-here = Готово: уведомления будут приходить в { $title }.
chats-type-private = личный
chats-type-group = группа
chats-type-supergroup = группа
chats-type-channel = канал
chats-min-severity = Минимальная важность
chats-state = Состояние
chats-state-active = активен
chats-state-muted = без звука
chats-state-inactive = неактивен (бот заблокирован или удалён)
chats-description = Описание
chats-since = Добавлен { $when }
chats-mute = Выключить
chats-unmute = Включить
chats-remove = Удалить
chats-removed = Удалено.
chats-back = Назад

outbox-title = 📮 Очередь уведомлений
outbox-counts = Ожидают { $pending } · отправляются { $sending } · отправлены { $sent } · не доставлены { $failed }
outbox-oldest = Старейшее недоставленное: { $age }
outbox-failed = Недоставленные ({ $total })
outbox-requeue-one = ♻️ Отправить #{ $id } снова
outbox-requeue-all = Отправить все недоставленные снова
outbox-requeued = Возвращено в очередь: { $count } (пропущено { $skipped }: чат неактивен).
outbox-refresh = Обновить

field-severity = Важность
field-format = Формат
field-title = Заголовок
field-message = Сообщение
field-dedupeKey = Ключ дедупликации
field-attachment = Вложение
field-description = Описание
field-code = Код
field-chatId = Чат
field-chatType = Тип чата
field-ids = Выбор
entity-chat = чат
entity-linkCode = код привязки
error-chat-not-found = Чат ({ $ref }) не входит в ваши получатели уведомлений.
error-severity-invalid = { $fieldName }: допустимо INFO, WARNING, ERROR или CRITICAL.
error-chat-description-too-long = Описание слишком длинное (не более { $max } символов).
error-chat-link-code-format = Это не похоже на код привязки ({ $length } букв и цифр, например K7PM-2XQA).
error-chat-link-code-unknown = Я не знаю такой код, или срок его действия истёк, или он уже использован. Получите новый в /chats.
error-chat-link-too-many = Слишком много неверных кодов привязки (не больше { $limit } за { $window } минут). Коды не принимаются ещё { $minutes ->
    [one] { $minutes } минуту
    [few] { $minutes } минуты
   *[other] { $minutes } минут
}, даже верный; затем отправьте новый код из /chats.
error-chat-link-private = Отправьте код в группе или канале, которые хотите добавить, а не здесь.
error-chat-link-bot-not-admin = Сначала сделайте меня администратором канала, затем отправьте код снова.
error-chat-private-not-removable = Личный чат нельзя удалить; можно выключить уведомления.
error-chat-id-invalid = Это не id чата Telegram.
error-notification-type = Неизвестный тип уведомления.
error-notification-format = Уведомление может быть HTML или обычным текстом.
error-notification-too-long = { $fieldName }: слишком длинно (не более { $max } символов).
error-notification-empty = У уведомления должен быть заголовок, текст или картинка.
error-notification-dedupe-key = Ключ дедупликации должен быть длиной от 1 до { $max } символов.
error-notification-attachment-size = Картинка слишком большая (не более { $max } байт).
error-notification-attachment-name = У картинки должно быть имя файла.
error-outbox-requeue-ids = Выберите, какие недоставленные уведомления отправить снова.
