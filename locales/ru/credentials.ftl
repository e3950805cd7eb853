## API-ключи бирж: /rotatekey и хранилище секретов

cmd-rotatekey = Заменить API-ключ реального счёта
cmd-rotatekey-example = /rotatekey Binance main
flow-rotate-key = ввод нового API-ключа
field-apiKey = API-ключ
field-secret = Секрет API
field-password = Кодовая фраза
field-account = Счёт
field-newKey = Новый мастер-ключ

rotatekey-no-live-accounts = У вас нет реального счёта. /rotatekey заменяет API-ключ биржевого счёта; учебным счетам ключ не нужен.
rotatekey-not-found = У вас нет счёта «{ $name }».
rotatekey-paper = «{ $name }» — учебный счёт, API-ключ ему не нужен.
rotatekey-choose-account = API-ключ какого счёта заменить?
rotatekey-not-configured = Реальные брокеры в этой установке не настроены, поэтому ключи { $broker } здесь нельзя ни проверить, ни сохранить.
rotatekey-ask-key = Пришлите новый API-ключ счёта «{ $name }» ({ $broker }). Я удалю ваше сообщение, как только прочитаю его. Используйте ключ без права вывода средств. /cancel — отмена.
rotatekey-ask-secret = Теперь пришлите секрет API. Это сообщение я тоже удалю.
rotatekey-ask-password = Если у ключа есть кодовая фраза, пришлите её; если нет — нажмите кнопку.
rotatekey-no-password = Без кодовой фразы
rotatekey-checking = Проверяю ключ на { $broker }…
rotatekey-done = API-ключ счёта «{ $name }» заменён. Он хранится в зашифрованном виде (мастер-ключ { $keyId }); старого больше нет.
rotatekey-failed = { $reason } Сохранённый ключ не изменился. Попробуйте ещё раз: /rotatekey.
rotatekey-lost = Присланного ключа у меня больше нет (бот перезапускался или прошло слишком много времени). Ничего не сохранено: начните заново с /rotatekey.

error-secrets-no-master-key = Здесь пока нельзя хранить API-ключи: у бота нет мастер-ключа. Администратор задаёт SECRETS_MASTER_KEY — ключ, созданный командой `openssl rand -base64 32` (или SECRETS_KEY_FILE — файл с таким ключом, chmod 600), и перезапускает бота.
error-credentials-unreadable = Сохранённый API-ключ счёта { $account } не расшифровывается настроенным мастер-ключом { $currentKeyId } (он сохранён под { $storedKeyId }). Введите его заново: /rotatekey.
error-credentials-missing = У счёта { $account } ещё нет API-ключа. Добавьте его: /rotatekey.
error-credential-empty = { $fieldName }: пусто.
error-key-format = { $fieldName } не похож на ключ биржи: буквы, цифры и знаки без пробелов, не больше 512 символов.
error-key-invalid-key = { $broker } не принимает эту пару ключей (неверный ключ или секрет).
error-key-permission-denied = Ключ действует, но не может читать счёт на { $broker }: проверьте его права и список разрешённых IP.
error-key-unreachable = Не удалось связаться с { $broker }, чтобы проверить ключ; попробуйте позже.
error-key-not-configured = Реальные брокеры в этой установке не настроены, поэтому ключи { $broker } проверить нельзя.
error-key-can-withdraw = Этот ключ может выводить средства. Ради вашей безопасности принимаются только ключи без права вывода: создайте ключ только с чтением и спотовой торговлей.
error-rekey-same-key = Новый мастер-ключ совпадает с текущим ({ $keyId }).

secret-expect-text = Пришлите { $field ->
        [apiKey] API-ключ
        [secret] секрет API
       *[password] кодовую фразу
    } текстовым сообщением или /cancel.
secret-deleted = Я удалил ваше сообщение с { $field ->
        [apiKey] API-ключом
        [secret] секретом API
       *[password] кодовой фразой
    }.
secret-not-deleted = Не получилось удалить ваше сообщение с { $field ->
        [apiKey] API-ключом
        [secret] секретом API
       *[password] кодовой фразой
    }: удалите его, пожалуйста, сами.
