## Exchange API keys: /rotatekey and the secret store

cmd-rotatekey = Replace the API key of a live account
cmd-rotatekey-example = /rotatekey Binance main
flow-rotate-key = replacing an API key
field-apiKey = API key
field-secret = API secret
field-password = Passphrase
field-account = Account
field-newKey = New master key

rotatekey-no-live-accounts = You have no live account. /rotatekey replaces the API key of an exchange account; paper accounts need none.
rotatekey-not-found = You have no account called “{ $name }”.
rotatekey-paper = “{ $name }” is a paper account: it needs no API key.
rotatekey-choose-account = Which account's API key do you want to replace?
rotatekey-not-configured = Live brokers are not configured in this installation, so keys for { $broker } cannot be checked or stored here.
rotatekey-ask-key = Send the new API key of “{ $name }” ({ $broker }). I delete your message as soon as I have read it. Use a key that cannot withdraw funds. /cancel stops.
rotatekey-ask-secret = Now send the API secret. I delete that message too.
rotatekey-ask-password = If the key has a passphrase, send it; otherwise press the button.
rotatekey-no-password = No passphrase
rotatekey-checking = Checking the key with { $broker }…
rotatekey-done = The API key of “{ $name }” is replaced. It is stored encrypted (master key { $keyId }); the old one is gone.
rotatekey-failed = { $reason } The stored key is unchanged. Try again with /rotatekey.
rotatekey-lost = I no longer have the key you sent (the bot restarted or too much time passed). Nothing was saved: start again with /rotatekey.

error-secrets-no-master-key = API keys cannot be stored here yet: the bot has no master key. The operator sets SECRETS_MASTER_KEY to a key made with `openssl rand -base64 32` (or SECRETS_KEY_FILE to a file holding one, chmod 600) and restarts the bot.
error-credentials-unreadable = The stored API key of account { $account } cannot be decrypted with the configured master key { $currentKeyId } (it was stored under { $storedKeyId }). Enter it again with /rotatekey.
error-credentials-missing = Account { $account } has no API key yet. Add one with /rotatekey.
error-credential-empty = { $fieldName } is empty.
error-key-format = { $fieldName } does not look like an exchange key: letters, digits and symbols without spaces, at most 512 characters.
error-key-invalid-key = { $broker } refused this key pair (wrong key or secret).
error-key-permission-denied = The key works, but it may not read the { $broker } account: check its permissions and IP allow-list.
error-key-unreachable = I could not reach { $broker } to check the key; try again later.
error-key-not-configured = Live brokers are not configured in this installation, so { $broker } keys cannot be checked.
error-key-can-withdraw = This key may withdraw funds. For your safety only keys without withdrawal permission are accepted: create one with reading and spot trading only.
error-rekey-same-key = The new master key is the current one ({ $keyId }).

secret-expect-text = Send the { $field ->
        [apiKey] API key
        [secret] API secret
       *[password] passphrase
    } as a text message, or /cancel.
secret-deleted = I deleted your message with the { $field ->
        [apiKey] API key
        [secret] API secret
       *[password] passphrase
    }.
secret-not-deleted = I could not delete your message with the { $field ->
        [apiKey] API key
        [secret] API secret
       *[password] passphrase
    }: please delete it yourself.
