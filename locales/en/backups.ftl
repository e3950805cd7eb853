# Backups (/backup) and the notice of a failed backup

cmd-backup = Backups: the latest ones, back up now (admin)
cmd-backup-example = /backup

backup-title = 💾 Backups ({ $provider })
backup-schedule = Every { $every } · keeping { $hourly } hourly, { $daily } daily, { $weekly } weekly
backup-folder = Folder:
backup-none = No backups yet.
backup-more = … and { $count } older
backup-running = ⏳ A backup is running now.
backup-now = Back up now
backup-refresh = Refresh
backup-started = Backing up…
backup-done = Backup taken: { $size } in { $seconds } s. { $pruned } old backups pruned.
backup-usage = /backup takes no arguments: it lists the backups and offers “Back up now”.
backup-every-minutes = { $n } min
backup-every-hours = { $n ->
    [one] hour
   *[other] { $n } hours
}
backup-every-days = { $n ->
    [one] day
   *[other] { $n } days
}
backup-age-now = just now
backup-age-minutes = { $n } min ago
backup-age-hours = { $n } h ago
backup-age-days = { $n } days ago
backup-size-b = { $n } B
backup-size-kb = { $n } KB
backup-size-mb = { $n } MB
backup-size-gb = { $n } GB

backup-failed-title = Backup failed
backup-failed-body = The { $trigger } backup of { $when } (UTC) failed:
backup-failed-hint = No older backup was deleted. Check the disk and the logs, then press “Back up now” in /backup.
backup-trigger-schedule = scheduled
backup-trigger-admin = requested
backup-trigger-cli = command-line

error-backup-failed = The backup failed: { $reason }
