# What a malformed command is answered (src/domain/command/parse.rs, rendered
# in src/i18n/refusals.rs). A command's syntax (`$syntax`) is grammar and is
# not translated. These texts are also what config.toml's problems say.

## Usage

usage-syntax = usage: !ponder { $syntax }
usage-listed = usage: !ponder { $syntax } (a number from `{ $listing }`)
usage-example = usage: !ponder { $syntax }, e.g. `{ $example }`
usage-unknown = unknown command `{ $command }`; `!ponder help` lists the commands
usage-reason-too-long = a reason holds at most { $max } characters
usage-reflection-too-long = a reflection holds at most { $max } characters; this one has { $len }
usage-suggestion-too-short = a suggestion needs at least { $min } characters: write the question as members should see it
usage-suggestion-too-long = a suggestion holds at most { $max } characters; this one has { $len }
usage-ping-without-target = `ping` needs whom to ping: a role on Discord, user ids on Matrix

## Quiet days (src/domain/quiet.rs)

quiet-bad-date = `{ $word }` is not a date; write days as YYYY-MM-DD, like 2026-12-24
quiet-bad-backwards = { $first } comes after { $last }: write the earlier day first, like { $last }..{ $first }
quiet-bad-too-long = { $first }..{ $last } is { $days } days long; a quiet range can be at most a year ({ $max } days). For a day off every week use `quiet weekly`.
quiet-bad-weekdays = `{ $list }` is not a list of days of the week; write them like `sat,sun` or `fri-sun`
quiet-bad-every-day = every day of the week would be quiet; use `pause` to stop prompts here
quiet-bad-empty = an empty quiet entry; write `2026-12-24..2026-12-26`, `2026-12-24` or `sat,sun`
quiet-bad-reason = a reason holds at most { $max } characters; this one has { $len }

## Schedules (src/domain/schedule.rs): `$reason` is one of the reasons below

schedule-bad-cron = bad cron expression `{ $expr }`: { $reason }
schedule-bad-spec = bad schedule `{ $spec }`: { $reason }
schedule-bad-zone = unknown time zone `{ $zone }` (use an IANA name such as Europe/Berlin or America/New_York)
schedule-empty = the schedule is empty; try `daily 09:00` or a cron expression like `0 9 * * *`
schedule-not-a-duration = `{ $amount }` is not a duration; write a whole number and a unit, like `every 20s`, `every 15m` or `every 2h`
schedule-interval-not-whole = an interval must be a whole number of seconds, at least 1s
schedule-interval-too-long = an interval can be at most a year (366d); for rarer prompts use a date, like `0 9 1 1 *` (every 1 January at 09:00)
schedule-interval-one-word = write the interval as one word after `every`, like `every 20s` or `every 2h`
schedule-zone-apart = `{ $zone }` is a time zone: set it apart from the schedule (a channel's `timezone` in the config)
schedule-not-a-time = `{ $time }` is not a time of day; write it as HH:MM, for example 09:00
schedule-not-days = `{ $days }` is not `daily`, `weekdays`, `weekends` or a list of days like `mon,thu`

## A cron expression's fields (src/domain/schedule/fields.rs); `$term` is
## cron's own name of a field (`day-of-month`), `$field` one of cron-field-*

cron-field-count = expected 5 fields (minute hour day-of-month month day-of-week), found { $found }
cron-empty-item = the { $term } field `{ $text }` has an empty item: give every { $field } item a value
cron-step = the { $field } step in `{ $part }` must be a whole number, at least 1
cron-empty-part = the { $field } field `{ $text }` has an empty part
cron-out-of-range = { $field } must be { $min }–{ $max }, not { $value }
cron-not-a-value = `{ $value }` is not a { $field } ({ $min }–{ $max })
cron-not-a-name = `{ $value }` is not a { $field } ({ $min }–{ $max } or { $names })
cron-backwards = the { $field } range `{ $range }` runs backwards; write the smaller value first
cron-not-understood = not understood; the fields are minute hour day-of-month month day-of-week, like `30 9 * * 1-5`
cron-never-fires = it never fires: no date has that day of the month in that month
cron-field-minute = minute
cron-field-hour = hour
cron-field-day-of-month = day of month
cron-field-month = month
cron-field-day-of-week = day of week
