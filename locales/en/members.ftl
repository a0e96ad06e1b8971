# Messages of quiet days, reports, forgetting and suggestions.

## Quiet days (src/engine/commands/quiet.rs, src/engine/quiet.rs)

quiet-day = quiet day { $day } (#{ $id } { $rule }{ $reason })
quiet-note-over = over
quiet-note-config = from the config
quiet-already-over = { $rule } is already over here (today is { $today } in { $zone }); nothing to keep quiet.
quiet-too-many = This channel has { $max } quiet rules, the most it may hold; remove old ones with `quiet remove ID` (`quiet list` shows them).
quiet-added = Quiet #{ $id } added: { $rule }{ $reason }, days in { $zone }. Slots on those days are skipped, not posted later. { $next }
quiet-none = No quiet days here. Add some with `quiet add 2026-12-24..2026-12-26 holidays`, or `quiet weekly sat,sun` for a day off each week.
quiet-list = Quiet days here (days in { $zone }):
quiet-unknown = There is no quiet #{ $id } in this channel; `quiet list` shows them.
quiet-removed = Quiet #{ $id } ({ $rule }) removed.
quiet-returns-from = It comes from { $file } and returns on restart unless removed there.
quiet-returns = It returns at the next start.
quiet-weekly-set = Quiet #{ $id }: { $rule }, days in { $zone }{ $replacing }.
quiet-weekly-replacing = {" "}(replacing the earlier weekly rule)
quiet-weekly-config = The config's { $rules } stays; it can be changed only there.
quiet-weekly-none = There are no weekly quiet days here.
quiet-weekly-none-in-chat = No weekly quiet days were set in chat.
quiet-weekly-removed = Weekly quiet days removed.

## `export`, `stats` (src/engine/commands/reports.rs)

export-too-large = Even the newest day's posts make a file larger than { $platform ->
    [discord] Discord
    [matrix] the Matrix server
   *[other] { $platform }
}'s upload limit ({ $size }); export one post at a time with `post ID`.
export-done = { $posts ->
    [one] { $posts } post
   *[other] { $posts } posts
} exported.
stats-last-days = Last 30 days here: { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}, { $replies ->
    [one] { $replies } reply
   *[other] { $replies } replies
} from { $people ->
    [one] { $people } person
   *[other] { $people } people
} ({ $rate } replies per prompt).
stats-most-answered = Most answered: { $list }.
stats-answered = "{ $title }" ({ $count })
stats-streak = Your streak: { $count ->
    [one] { $count } prompt
   *[other] { $count } prompts
} in a row.

## `forget-me` (src/engine/forget.rs)

forget-ask = Ponder keeps { $replies ->
    [one] { $replies } reply
   *[other] { $replies } replies
} of yours{ $suggestions } on { $platform }. Erasing deletes them from its database for good{ $relayed }. To erase, run `forget-me` again with confirm.
forget-ask-suggestions = {" "}and { $count ->
    [one] { $count } suggestion
   *[other] { $count } suggestions
}
forget-ask-relayed = , and deletes the reflections Ponder posted for you; your own messages on { $platform } stay yours to delete
forget-done = Done: { $replies ->
    [one] { $replies } reply
   *[other] { $replies } replies
} deleted.{ $also } Ponder keeps nothing of yours now, only the ids of those messages so it never collects them again.
forget-done-suggestions = { $count ->
    [one] { $count } suggestion
   *[other] { $count } suggestions
}
forget-done-relayed = { $count ->
    [one] { $count } message
   *[other] { $count } messages
} Ponder posted for you, removed from { $platform }

## Suggestions (src/engine/suggestions.rs)

suggestion-credit = — suggested by { $name }
suggest-pending-limit = You have { $count ->
    [one] { $count } suggestion
   *[other] { $count } suggestions
} waiting here already; an admin decides on those first.
suggest-daily-limit = You made { $count ->
    [one] { $count } suggestion
   *[other] { $count } suggestions
} in the last 24 hours, the most Ponder takes; try again tomorrow.
suggest-named = it will name you when it posts
suggest-unnamed = it will not name you
suggest-thanks = Thanks: suggestion #{ $id } is waiting for an admin ({ $credit }). You will get a direct message when it is decided.
suggestions-none = No suggestions are waiting here.
suggestions-waiting = { $count ->
    [one] { $count } suggestion
   *[other] { $count } suggestions
} waiting:
suggestions-line = #{ $id } by { $name }{ $uncredited }: { $text }
suggestions-uncredited = , uncredited
suggestions-approve = Approve #{ $id }
suggestions-reject = Reject #{ $id }
suggestions-how = `approve ID` adds one to this channel's prompts; `reject ID [REASON]` turns it down (the suggester is told).
suggestion-unknown = There is no suggestion #{ $id } here; `suggestions` lists them.
suggestion-was = Suggestion #{ $id } was { $state ->
    [approved] approved
    [rejected] rejected
   *[other] { $state }
} already.
suggestion-decided = Suggestion #{ $id } was decided already.
suggestion-dm-approved =
    Your suggestion #{ $id } for { $place } was approved: it joins the prompts there.
    > { $text }
suggestion-dm-rejected =
    Your suggestion #{ $id } for { $place } was not taken.{ $why }
    > { $text }
suggestion-dm-why = {" "}The admins said: { $reason }
suggester-told = The suggester was told.
suggester-not-told = Could not tell the suggester: { $error }.
suggester-no-platform = The suggester could not be told: the platform is not running.
suggestion-approved = Suggestion #{ $id } approved: it joins this channel's rotation. { $told }
suggestion-rejected = Suggestion #{ $id } rejected. { $told }
