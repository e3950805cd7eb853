# Notifications: destinations (/chats) and the outbox (/outbox)

cmd-chats = Where notifications go: chats, groups, channels
cmd-chats-example = /chats
cmd-link = Link this group or channel (post it there with your code)
cmd-link-example = /link K7PM-2XQA
cmd-outbox = Notification delivery: counts, dead letters, requeue (admin)
cmd-outbox-example = /outbox

chats-title = 🔔 Notification destinations
chats-explain = Each destination gets notifications at or above its minimum severity (INFO < WARNING < ERROR < CRITICAL). Tap one to change it.
chats-private = Private chat with me
chats-add = Add a group or channel
chats-add-how = Add @{ $bot } to the group or channel (as an admin for channels), then post this message there:
chats-add-expires = The code works once, until { $when }.
chats-link-usage = Post /link with your code inside the group or channel you want to add. Get a code from /chats → “Add a group or channel”.
chats-linked-here = Linked: notifications will arrive in { $title }.
chats-type-private = private
chats-type-group = group
chats-type-supergroup = group
chats-type-channel = channel
chats-min-severity = Minimum severity
chats-state = State
chats-state-active = active
chats-state-muted = muted
chats-state-inactive = inactive (the bot was blocked or removed)
chats-description = Description
chats-since = Added { $when }
chats-mute = Mute
chats-unmute = Unmute
chats-remove = Remove
chats-removed = Removed.
chats-back = Back

outbox-title = 📮 Notification outbox
outbox-counts = Pending { $pending } · sending { $sending } · sent { $sent } · failed { $failed }
outbox-oldest = Oldest undelivered: { $age }
outbox-failed = Dead letters ({ $total })
outbox-requeue-one = ♻️ Send #{ $id } again
outbox-requeue-all = Send all dead letters again
outbox-requeued = { $count } requeued ({ $skipped } skipped: their chat is inactive).
outbox-refresh = Refresh

field-severity = Severity
field-format = Format
field-title = Title
field-message = Message
field-dedupeKey = Deduplication key
field-attachment = Attachment
field-description = Description
field-code = Code
field-chatId = Chat
field-chatType = Chat type
field-ids = Selection
entity-chat = chat
entity-linkCode = link code
error-chat-not-found = That chat ({ $ref }) is not one of your notification destinations.
error-severity-invalid = { $fieldName } must be INFO, WARNING, ERROR or CRITICAL.
error-chat-description-too-long = The description is too long (at most { $max } characters).
error-chat-link-code-format = That does not look like a link code ({ $length } letters and digits, e.g. K7PM-2XQA).
error-chat-link-code-unknown = I don't know that link code, or it has expired or was already used. Get a fresh one from /chats.
error-chat-link-too-many = Too many wrong link codes (at most { $limit } in { $window } minutes). Codes are not accepted for { $minutes ->
    [one] another minute
   *[other] { $minutes } more minutes
}, not even a right one; then post a fresh code from /chats.
error-chat-link-private = Post the code in the group or channel you want to add, not here.
error-chat-link-bot-not-admin = Make me an administrator of the channel first, then post the code again.
error-chat-private-not-removable = Your private chat cannot be removed; mute it instead.
error-chat-id-invalid = That is not a Telegram chat id.
error-notification-type = Unknown notification type.
error-notification-format = Notifications are HTML or plain text.
error-notification-too-long = { $fieldName } is too long (at most { $max } characters).
error-notification-empty = A notification needs a title, a message or a picture.
error-notification-dedupe-key = The deduplication key must be 1 to { $max } characters.
error-notification-attachment-size = The picture is too large (at most { $max } bytes).
error-notification-attachment-name = The picture needs a file name.
error-outbox-requeue-ids = Choose which failed notifications to send again.
