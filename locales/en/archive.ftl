# The archive page (src/archive.rs and src/archive/*), `ponder archive` and
# the page a digest carries (src/engine/digest_archive.rs). The page is
# HTML: these texts are escaped where they go in, &, < and > included;
# $time and $source are markup the code puts in after the rest is escaped.

## Dates on the page: chrono patterns; %b is month-short (ponder.ftl).

archive-date-time-pattern = %-d %b %Y, %H:%M %Z
archive-day-pattern = %-d %b %Y
archive-reply-time-pattern = %-d %b, %H:%M
archive-table-day-pattern = %Y-%m-%d
# $day: 1 is Monday, 7 Sunday. The short form labels the chart's bars, the
# other the table's rows and the chart's description.
archive-weekday-short = { $day ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
archive-weekday = { $day ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}

## The page's head, navigation and foot

archive-title = Ponder archive: { $platform } { $channel }
archive-index-title = Ponder archive
archive-prompts = { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}
archive-replies = { $replies ->
    [one] { $replies } reply
   *[other] { $replies } replies
}
# $span is archive-span-range, archive-span-day or nothing.
archive-summary = { $prompts } and { $replies }{ $span }. Times are { $zone }.
archive-span-range = , from { $first } to { $last }
archive-span-day = , on { $day }
archive-nav = On this page
archive-figures = In figures
archive-themes = Themes
archive-prompts-link = The prompts
archive-prompts-heading = The prompts, newest first
archive-footer = Written by Ponder. Deleted replies and replies their authors erased are not here; anonymous reflections carry no author.

## One prompt and its replies (src/archive/post.rs)

archive-page-posted = Posted { $time }
archive-thread-link = the thread
archive-source = From the source: { $source }
archive-no-replies = No replies
archive-anonymous = anonymous
archive-edited = , edited
# An author when names are hidden, and a mention of a member in a reply.
archive-a-member = a member
archive-mention = @member

## The figures (src/archive/charts.rs)

archive-series-replies = replies
archive-series-people = people
archive-over-time = Replies over time
archive-over-time-title = Replies and participants per prompt
archive-over-time-desc = { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}, oldest on the left; for each, a bar of its replies and a bar of the people who wrote them. The most replies to one prompt: { $most }. The table below holds the same figures.
archive-over-time-table = Replies per prompt as a table
archive-col-prompt = Prompt
archive-col-posted = Posted
archive-col-replies = Replies
archive-col-people = People
archive-col-weekday = Weekday
archive-col-hour = Hour
archive-most = The most replies
archive-most-title = The prompts with the most replies
# $list: each prompt's title with its replies in brackets, joined by "; ".
archive-most-desc = { $prompts ->
    [one] The prompt that drew the most replies: { $list }.
   *[other] The { $prompts } prompts that drew the most replies, most first: { $list }.
}
archive-most-table = The most replies as a table
archive-when = When people reply
archive-when-note = By weekday and by hour, in the channel's zone ({ $zone }).
archive-weekdays-title = Replies by weekday
archive-weekdays-desc = Replies written on each weekday, Monday to Sunday; the most on { $day }.
archive-weekdays-table = Replies by weekday as a table
archive-hours-title = Replies by hour
archive-hours-desc = Replies written in each hour of the day, 0 to 23, in { $zone }; the most from { $hour }.
archive-hours-table = Replies by hour as a table

## Themes (src/archive/themes.rs)

archive-themes-note = Each prompt once, with the days it was posted, grouped by pack and by tag.
archive-by-pack = By pack
archive-by-tag = By tag
archive-not-posted = not posted

## The page a closing thread's digest carries (src/engine/digest_archive.rs):
## its file's name and the caption when it goes in a message of its own.

archive-digest-file = ponder-{ $platform }-{ $channel }-post-{ $post }.html
archive-digest-caption = The archive of "{ $title }", to open in a browser.
