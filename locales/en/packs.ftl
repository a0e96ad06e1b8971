# Messages of the packs, prompts, curation and archive commands.

## `prompts list [PACK]` (src/engine/commands/prompts.rs)

prompts-pool = This channel draws from { $packs ->
    [one] { $packs } pack
   *[other] { $packs } packs
}, { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}; this rotation cycle has posted { $done }.
prompts-pool-pack = - { $pack }{ $title }: { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}, { $done } posted this cycle
prompts-name-a-pack = Name a pack to see its prompts.
prompts-no-such-pack = This channel does not draw from a pack `{ $pack }`. Its packs: { $packs }.
packs-none = none
prompts-pack = { $pack }{ $title }: { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}.
prompts-line = - { $id }: { $title }
prompts-line-posted = - { $id }: { $title } (posted this cycle)
prompts-more = … and { $count } more.
pack-title = , "{ $title }"
pack-title-suggestions = {" "}(approved suggestions)

## `prompts show|disable|enable ID`, `prompts remove-pack|export-pack PACK`,
## `packs use` (src/engine/commands/curate.rs). $place is `server` (a
## Discord server) or `room` (a Matrix room, the console).

prompt-unknown = No prompt `{ $id }` here. `prompts list PACK` lists a pack's prompts.
prompt-source = Source: “{ $source }”
prompt-disabled-here = Disabled here: never drawn (`prompts enable` brings it back).
prompt-in-rotation = In this channel's rotation.
prompt-not-in-rotation = Not in this channel's rotation: its pack is not one this channel draws from (`packs use`).
prompt-disabled = Disabled { $name } in { $place ->
    [server] this server
   *[room] this room
}: it is never drawn again until `prompts enable { $id }`. This channel draws from { $left ->
    [one] { $left } prompt
   *[other] { $left } prompts
}.
prompt-disabled-nothing-left = With nothing left to draw, its slots post nothing: enable a prompt or `packs use` others.
prompt-already-disabled = { $name } was already disabled in { $place ->
    [server] this server
   *[room] this room
}.
prompt-enabled = Enabled { $name } in { $place ->
    [server] this server
   *[room] this room
}: it can be drawn again.
prompt-not-disabled = { $name } was not disabled in { $place ->
    [server] this server
   *[room] this room
}.
pack-shipped = `{ $pack }` ships with Ponder: its file is the operator's. To stop drawing from it here: `packs use` with the packs you want.
pack-not-imported = No pack `{ $pack }` was imported here. Imported here: { $packs }.
pack-removed = Removed pack `{ $pack }` ({ $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}). Prompts already posted from it stay in the archive.
pack-exported = Pack `{ $pack }` ({ $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}), as it was imported.
packs-unknown = No pack { $packs } here. The packs: { $all }.
packs-use-empty = { $packs } holds no prompt this channel could draw (all disabled?); it keeps its packs.
packs-use-all = This channel now draws from every pack: { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}.
packs-use-these = This channel now draws from { $packs }: { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}.

## `prompts import`, `prompts draft PACK` (src/engine/commands/packs.rs)

pack-attach = Attach { $what }: on Discord as the command's `file` option; on Matrix, send the file in this room first, then the command; on the console, give its path.
pack-attach-pack = the pack's .toml file
pack-attach-draft = the text to draft from (plain text or Markdown)
file-not-text = `{ $name }` is not UTF-8 text, so Ponder cannot read it.
pack-too-large = `{ $name }` is { $size } KB; a pack file may be at most { $max } KB.

## Files an adapter could not take (src/domain/command.rs `FileProblem`)

file-too-large = `{ $name }` is { $size } KB; this command takes files of at most { $max } KB.
file-too-large-draft = `{ $name }` is { $size } KB; a text to draft from may be at most { $max } KB.
file-not-fetched = Ponder could not fetch `{ $name }` from Discord; attach it again in a moment.
file-not-downloaded = Ponder could not download `{ $name }` from the homeserver; send it again, then the command.
file-history-unreadable = Ponder could not read this room's recent messages to find your file; try again.
file-path-refused = On Matrix, send the file in this room first, then the command without a path.
file-cannot-read = Cannot read { $path }: { $error }.
file-cannot-read-not-found = Cannot read { $path }: there is no such file.
file-cannot-read-denied = Cannot read { $path }: Ponder may not open it (permission denied).
file-cannot-read-not-a-file = Cannot read { $path }: it is not a regular file (a folder, a pipe or a device?).
file-not-sent = The file { $name } could not be sent; Ponder's log says why.
pack-problems = { $count ->
    [one] { $count } problem
   *[other] { $count } problems
} in `{ $name }`; nothing was imported:
pack-problems-more = … and { $count } more, all in the attached file.
pack-id-shipped = `{ $id }` is the id of a pack Ponder ships; choose another
pack-id-reserved = `{ $id }` is a word Ponder keeps for itself; choose another
prompt-id-taken = `{ $id }` is already the id of { $taken }; ids are unique across every pack, choose another
prompt-id-of-suggestion = an approved suggestion (ids `suggestion-N` are theirs)
prompt-id-of-shipped = a prompt Ponder ships (in `{ $pack }`)
prompt-id-of-own = a prompt of your pack `{ $pack }`
packs-too-many = this community has { $count } packs, the most it may have; remove one first (`prompts remove-pack`)
packs-too-many-prompts = with it this community's packs would hold { $total } prompts; they may hold { $max }
pack-imported = Imported pack `{ $pack }` ("{ $title }"): { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}.
pack-replaced = Replaced pack `{ $pack }` ("{ $title }"): { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}, was { $old }.
pack-offered-server = It is offered in this server's channels only.
pack-offered-room = It is offered in this room only.
pack-drawn-here = This channel draws from it.
pack-not-drawn-here = This channel draws from { $packs } only: `packs use { $list },{ $pack }` adds it.
pack-drafted = Drafted pack `{ $pack }` from `{ $name }`: { $questions ->
    [one] { $questions } question
   *[other] { $questions } questions
} as written and { $candidates ->
    [one] { $candidates } candidate
   *[other] { $candidates } candidates
} marked `draft = true`. Edit them, delete the draft marks, then import the file with `prompts import`.
draft-bad-id = `{ $id }` is not a valid pack id (use 1-64 of a-z, 0-9, '-', '_').
draft-too-long = the text is { $size } bytes long; drafting reads at most { $max }.
draft-nothing = no question, claim or contrast found in the text ({ $count } sentences read): nothing to draft.

## `archive` (src/engine/commands/archive.rs); the upload limit and a file
## narrowed to it are said by `export` too. $platform is `discord`,
## `matrix` or another platform's name.

# The decimal point of sizes (`1.5 MB`).
decimal-point = .
upload-limit = { $platform ->
    [discord] Discord's
    [matrix] the Matrix server's
   *[other] { $platform }'s
} upload limit ({ $size })
narrowed = The whole file would be larger than { $limit }, so it holds only the prompts from { $first } on ({ $kept } of { $total }; days in UTC). For the earlier ones, ask again with `{ $from }to { $before }`.
archive-backwards = `from { $from }` is after `to { $to }`: nothing is between them.
archive-none-between = No prompts here between those days.
archive-none-yet = No prompts here yet: nothing to archive.
archive-too-large = Even the newest day's prompts make a page larger than { $limit }. `ponder archive` on the bot's machine writes the whole archive.
archive-file = The archive of here: { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}, to open in a browser.
archive-file-public = The archive of this channel: { $prompts ->
    [one] { $prompts } prompt
   *[other] { $prompts } prompts
}, to open in a browser.
archive-no-files = Ponder cannot post files on this platform.
archive-post-failed = Could not post the archive in the channel: { $error }
archive-posted = Posted the archive in the channel.
