# Operations: /status for admins (the facts /healthz reports)
cmd-status = Health: database, jobs, outbox, counters (admin)
cmd-status-example = /status

status-title = 🩺 Status
status-healthy = ✅ Everything is in order.
status-unhealthy = ⚠️ Needs attention: { $count } { $count ->
    [one] problem
   *[other] problems
  }.
status-database-ok = Database: ✅ answers in { $ms } ms
status-database-down = Database: ❌ unreachable ({ $error })
status-jobs-leading = Jobs: run by this instance
status-jobs-following = Jobs: run by another instance on this database
status-jobs-off = Jobs: off in this instance (JOBS_ENABLED=false)
status-job = { $icon } { $name }: last run { $ago } ago, every { $every } · { $runs } runs, { $failures } failed
status-job-never = { $icon } { $name }: not run yet, every { $every }
status-job-error = last error: { $error }
status-outbox = Outbox: pending { $pending } · sending { $sending } · sent { $sent } · dead letters { $failed }
status-outbox-oldest = { $icon } Oldest undelivered: { $age } (limit { $limit })
status-outbox-none = Oldest undelivered: none
status-backup = { $icon } Last backup: { $ago }, { $size } · { $total } kept, one every { $every }
status-backup-none = { $icon } Last backup: none yet
status-backup-failed = last backup run failed: { $error }
status-totals = Since start ({ $uptime }): updates { $updates } · commands { $commands } · errors { $errors }
status-unavailable = Status is not available in this process.
unit-s = s
unit-min = min
unit-h = h
unit-d = d
