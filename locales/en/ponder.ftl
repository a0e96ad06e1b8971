# Ponder's chat messages in English. Operator-facing text (logs, `ponder
# check`, the command line) is not here. Every id here exists in every other
# language with the same variables (a test checks).

## Dates and times (see src/i18n/dates.rs): a chrono pattern; %b is
## month-short, $clock is %H:%M or %H:%M:%S.

date-time-pattern = %a %Y-%m-%d { $clock } %Z
date-time-with-utc = { $local } ({ $utc } UTC)
month-short = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}

## Answers to any command (src/engine/commands/mod.rs)

only-admins = Only admins can do that here.
went-wrong = Something went wrong on Ponder's side; the log has the details.
not-served = Ponder posts no prompts here.
not-served-suggest = Ponder posts no prompts here, so there is nothing to suggest for. Ask in a channel where it does.
no-prompt-scheduled = No prompt is scheduled here.
no-open-prompt = There is no open prompt here to answer yet.
now-failed = Could not post: { $error }
now-posted = Posted { $pack }/{ $prompt } (post { $post }).
reload-done = Reloaded: { $count } prompts.
reload-kept =
    Kept the running prompts; the files have problems:
    { $problems }

## `language` (src/engine/commands/language.rs)

language-set = Ponder now speaks { $name } here (`{ $code }`).
language-current = Ponder speaks { $name } here (`{ $code }`). It ships { $choices }; change it with `language CODE`.
language-unset = No language is set here: Ponder answers in { $name } (`{ $code }`), or on Discord in each member's own language where it ships it. It ships { $choices }; set one with `language CODE`.
language-unknown = Ponder does not speak `{ $tag }`; it ships { $choices }.

## `next`, `status` (src/engine/commands/schedules.rs, reports.rs, quiet.rs)

paused-here = Prompts are paused here ({ $reason }).
next-prompt = Next prompt: { $when }.
quiet-slot-skipped = The slot { $when } is skipped: { $why }.
status-active = active
status-paused = paused ({ $reason })
status-channel = Channel { $channel } on { $platform }: { $state }, time zone { $zone }.
status-schedules = Schedules: { $list }
status-schedules-none = none
status-open-thread = Open thread: "{ $title }" (post { $post }), { $replies ->
    [one] { $replies } reply
   *[other] { $replies } replies
}.
status-rotation = Rotation: { $left } of { $total } prompts left in this cycle{ $left ->
    [0] ; the next prompt starts a new cycle.
    [1] ; after the next prompt the cycle wraps and prompts start to repeat.
   *[other] .
}
status-missing = Missing permissions: { $missing }.
status-suggestions = Suggestions waiting: { $count } (`suggestions`).
status-anonymous = Anonymous reflections: allowed.
status-failed = Failed: post { $post } ({ $prompt }): { $error }
shards-connected = Shards: { $up } of { $total } connected
shards-range = {" "}(this process runs shards { $range })
shard = ; #{ $shard } { $state }, { $servers ->
    [one] { $servers } server
   *[other] { $servers } servers
}, { $latency }, resumed { $resumes }×
shard-up = up
shard-down = down
shard-latency = latency { $ms } ms
shard-latency-unknown = latency not measured yet
shards-more-down = ; and { $count } more down

## Reflections (src/engine/reflections.rs)

reflect-done = Your reflection is in the thread of "{ $title }".
anon-not-private = To answer anonymously, send `!ponder anon TEXT` to Ponder in a direct message, where nobody sees who wrote it.
anon-not-allowed = Anonymous reflections are not allowed there; an admin can allow them with `anonymous on`.
anon-limit = You have given { $max } anonymous reflections to this prompt, the most it takes.
anon-done = Your anonymous reflection is in the thread of "{ $title }". Ponder keeps no record that it was you.
platform-not-running = That platform is not running.
reflection-anonymous =
    An anonymous reflection:
    { $text }
reflection-by =
    { $name } reflects:
    { $text }
reflect-post-failed = Could not post your reflection: { $error }
anonymous-on = Members may now reflect anonymously here (`/reflect anonymous:True` on Discord, a direct message `!ponder anon TEXT` on Matrix). Ponder keeps no author for those.
anonymous-off = Anonymous reflections are off here.
prompt-not-open = Prompt #{ $post } is not open for replies.
anon-none-open = There is no open prompt you can answer anonymously right now.
anon-several = Several prompts are open; name one with `anon #N TEXT`:
anon-candidate = #{ $post } "{ $title }"

## Digests (src/engine/digest.rs)

digest-to-thread = When a thread closes, its digest goes into the thread.
digest-to-channel = When a thread closes, its digest goes into the channel.
digest-off = No digests here.
digest = "{ $title }" is closed: { $replies ->
    [one] { $replies } reply
   *[other] { $replies } replies
} from { $people ->
    [one] { $people } person
   *[other] { $people } people
}.
digest-excerpt = • { $name }: "{ $text }"

## Schedules (src/engine/commands/schedules.rs, src/engine/permissions.rs)

skip-nothing = Nothing is scheduled here, so there is nothing to skip.
skip-done = The prompt due { $when } will be skipped.
paused = Paused. No prompts will post here until `resume`.
resumed = Resumed. { $next }
announce-ping = pings { $who }
announce-pin = pins its prompt
schedule-added = Schedule #{ $id } added: `{ $spec }` in { $zone }{ $announce }. Next: { $next }.
schedule-none = No schedules here. Add one with `!ponder schedule add daily 09:00 Europe/Berlin`.
schedule-line = #{ $id } `{ $spec }` { $zone }{ $announce } ({ $origin }) next: { $next }
schedule-removed = Schedule #{ $id } removed.
schedule-returns-from = It comes from { $file } and returns on restart unless removed there.
schedule-returns = It returns at the next start.
schedule-unknown = There is no schedule #{ $id } in this channel; `!ponder schedule list` shows them.
setup-done = Set up: prompts post here `{ $spec }` ({ $zone }){ $announce }, schedule #{ $id }{ $replaced }. Next: { $next }. `now` posts one right away; `schedule add` adds more times.
setup-replacing = , replacing schedule { $list }
too-frequent = That schedule fires { $gap } apart; prompts here may come at most once every { $min }. (Whoever runs Ponder sets this with `min_schedule_interval` in config.toml.)
never = never
permissions-ok = Permissions checked: nothing is missing.
permissions-missing = Ponder is missing here: { $missing }. Grant { $count ->
    [one] it
   *[other] them
} to Ponder (its role, or this channel's permissions), or its posts will fail.

# What a permission check finds missing, listed in $missing above. $permission
# is the platform's own name for a permission (Discord's English names, as
# "Manage Messages", in every language: operators search for them).
missing-pin = { $permission } (to pin prompts)
missing-role-gone = the role { $role } to ping (it does not exist)
missing-role-unmentionable = { $permission } (the role { $role } is not mentionable)
missing-power = { $action } (power level { $level }; Ponder has { $mine })
missing-power-highest = the highest
missing-action-send = send messages
missing-action-redact = redact its own messages (for forget-me)
missing-action-pin = pin messages (m.room.pinned_events)
missing-not-in-room = { $user } to ping is not in this room
missing-check-failed = the check itself failed: { $error }

## The console (src/platform/console.rs)

console-prompt = prompt #{ $post } "{ $title }"
console-earlier-prompt = an earlier prompt
console-new-prompt = new prompt #{ $post }: { $title }
console-written = Written to { $path }
console-not-written = Could not write { $name }: { $error }
console-file-end = --- end of { $name } ---
console-file-at = (file: { $path })
console-not-utf8 = (part of what you typed was not UTF-8 text; those bytes are shown as �. This is said once.)
console-reply-waits = (no prompt is open right now: your reply will go into the next prompt's thread)
console-reply-stored = reply stored under { $prompt }.
console-reply-cut = It was longer than { $max } characters: the first { $max } are kept.
console-reply-not-stored = (that reply was not stored: no open thread)
console-reply-failed = (could not store that reply; see the log)
console-thread-open = The thread of prompt #{ $post } is open for { $open }: type a line to reply.
console-in-thread = in the thread of { $prompt }
console-closed = The thread of { $prompt } is closed.
console-privately = privately to { $user }
console-pinned = { $prompt } pinned
console-unpinned = { $prompt } unpinned

## The demo (src/cli/mod.rs)

demo-packs-built-in = the packs built into ponder
demo-banner =
    Ponder demo: a prompt every { $every } s in this terminal, from { $prompts }.
    Type a line to reply in the open thread, `!ponder help` for commands, Ctrl-C to stop.
    Replies are kept in { $db }; read them with `ponder export --db { $db } --format md`.

## What Ponder is and keeps

help =
    !ponder help                       this list
    !ponder next                       when the next prompt posts
    !ponder reflect TEXT               answer the open prompt; posted into its thread
    !ponder anon [#POST] TEXT          answer anonymously (in a direct message to Ponder, where allowed)
    !ponder suggest [uncredited] TEXT  suggest a prompt; admins approve it, then it joins the rotation
    !ponder stats                      the last 30 days here, and your streak
    !ponder about                      what Ponder keeps and who can read it
    !ponder forget-me [confirm]        delete everything Ponder keeps about you
    !ponder setup SPEC [ZONE]          post prompts here, e.g. `setup daily 09:00 Europe/Berlin` (admins)
    !ponder now [prompt-id]            post a prompt now (admins)
    !ponder skip                       skip the next scheduled prompt (admins)
    !ponder pause | resume             stop or restart this channel's schedules (admins)
    !ponder schedule add SPEC [ZONE]   e.g. `daily 09:00 Europe/Berlin` or `30 18 * * 1-5` (admins)
    !ponder schedule list              this channel's schedules (admins)
    !ponder schedule remove ID         (admins)
    !ponder status                     schedules, the open thread, the rotation (admins)
    !ponder prompts list [PACK]        the packs drawn from here, or one pack's prompts (admins)
    !ponder prompts show|disable|enable ID
                                       one prompt; never draw it here, or again (admins)
    !ponder prompts import             a pack of your own: send its .toml file in the room
                                       first (on the console: `prompts import FILE`) (admins)
    !ponder prompts export-pack|remove-pack PACK
                                       one of your own packs back as a file, or removed (admins)
    !ponder prompts draft PACK         a pack drafted from a text file sent first (admins)
    !ponder packs use PACK,PACK|all    the packs this channel draws from (admins)
    !ponder export [md|json|csv] [post ID] [from DAY] [to DAY]
                                       this channel's prompts and replies, as a file (admins)
    !ponder archive [from DAY] [to DAY] [shown|initials|hidden]
                                       this channel's archive as a page to read in a browser (admins)
    !ponder reload                     reload the prompt files (admins)
    !ponder digest thread|channel|off  where the summary goes when a thread closes (admins)
    !ponder suggestions                the suggestions waiting for a decision (admins)
    !ponder approve ID                 add a suggestion to this channel's prompts (admins)
    !ponder reject ID [REASON]         turn a suggestion down; the suggester is told why (admins)
    !ponder anonymous on|off           allow anonymous reflections here (admins)
    !ponder language [en|de]           the language Ponder speaks here (admins)
    !ponder quiet add FROM..TO [REASON]
                                       no prompts on these days (in the channel's zone),
                                       e.g. `quiet add 2026-12-24..2026-12-26 holidays` (admins)
    !ponder quiet weekly DAYS|off      no prompts on these days each week, e.g. `sat,sun` (admins)
    !ponder quiet list | remove ID     this channel's quiet days (admins)
    Schedules take `ping ROLE` (Discord) or `ping @user:server,...` (Matrix) and `pin`,
    e.g. `schedule add daily 09:00 Europe/Berlin ping <@&123> pin`.

about =
    Ponder posts a prompt here on a schedule and keeps what people write in its thread.
    What it keeps: each prompt it posted and when; for each reply in a prompt's thread, your user id, your display name, the text, when you wrote it and when you last edited it. A deleted message loses its text. For an anonymous reflection it keeps no user id and no name, only a keyed hash that you alone can reproduce (by asking Ponder as yourself), so limits hold and `forget-me` finds it. For a suggestion: your user id, your name, the text and the admins' decision. Nothing else: no messages outside prompt threads, no reactions, no direct messages beyond commands.
    How long: until an admin removes the database, or until you erase yours with `forget-me`.
    Who can read it: the admins of this channel (with `export`; anonymous replies appear without any author) and whoever runs this Ponder.

## What the platform adapters say themselves (src/platform/)

command-failed = Something went wrong on Ponder's side; the log has the details.
only-admins-discord = Only admins (Manage Server) can do that here.
days-format = Write days as YYYY-MM-DD, like 2026-11-24.
# Discord limits a form's field label to 45 characters.
reject-reason-label = Reason (told to the suggester; optional)
reject-title = Reject #{ $id }
forget-me-confirm-in-direct = To erase, send `!ponder forget-me confirm` here, in this direct chat.
answered-in-direct = Answered in a direct message.
direct-only = That is answered in a direct message only; invite Ponder to one.
