# The problems the prompt-file loader finds (src/prompt_files.rs and
# src/prompt_files/): `ponder check` and `ponder run` print them in English
# for the operator, after `file:line: field:`; an import in chat
# (`prompts import`) lists them in the channel's language.

prompts-dir-unreadable = cannot read the prompt directory: { $error }
prompts-file-unreadable = cannot read: { $error }
prompts-none-found = no prompts found (expected *.toml files with [[prompt]] entries)
prompts-no-prompts = the pack has no [[prompt]] entries
prompts-pack-id-twice = pack id `{ $id }` is also used by { $first }
prompts-prompt-id-twice = duplicate prompt id `{ $id }` (first used at { $first })
# $error: the TOML parser's own words, in English.
prompts-toml-syntax = TOML syntax: { $error }
prompts-draft-mark = a candidate from `ponder prompts draft`: read and edit the prompt, then delete this line
prompts-not-an-array = expected an array of tables ([[prompt]])
prompts-not-a-table = expected a table ([[prompt]])
prompts-bad-id = `{ $id }` is not a valid id (use 1-64 of a-z, 0-9, '-', '_')
prompts-missing = missing (required)
prompts-not-a-string = expected a string
prompts-empty = must not be empty
prompts-too-long = is { $length } characters long; the limit is { $max }
prompts-bad-lang = `{ $lang }` is not a language code (use a lowercase code like `en`, `de` or `pt-br`)
prompts-not-strings = expected an array of strings
prompts-weight-out-of-range = { $weight } is out of range (a weight is > 0 and <= 1000)
prompts-not-a-number = expected a number
prompts-unknown-field = unknown field `{ $field }` (expected one of: { $known })

## A pack that translates another (`translation_of`).

prompts-translation-of-translation = `{ $pack }` is itself a translation (of `{ $original }`): translate the original `{ $original }`
prompts-translation-of-nothing = no pack `{ $pack }` found (name the pack whose prompts this one translates)
prompts-translation-same-lang = `{ $pack }` is in `{ $lang }` too: a translation is in another language (set `lang`)
prompts-translation-twice = `{ $pack }` already has a `{ $lang }` translation in { $first }
prompts-translation-id-twice = duplicate prompt id `{ $id }` (first used at line { $line })
prompts-translation-unknown-id = `{ $id }` is not a prompt of `{ $pack }` (a translation uses the ids of the prompts it translates)
prompts-translation-weight = a translation takes its weight from the original prompt (`{ $id }` weighs { $weight }): leave it out
