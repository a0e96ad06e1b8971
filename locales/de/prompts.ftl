# Die Probleme, die der Lader der Impuls-Dateien findet (src/prompt_files.rs
# und src/prompt_files/): ein Import im Chat (`prompts import`) listet sie
# in der Sprache des Kanals, nach `Datei:Zeile: Feld:`.
# Pack: Paket; prompt: Impuls (wie in packs.ftl).

prompts-dir-unreadable = der Ordner mit den Impulsen lässt sich nicht lesen: { $error }
prompts-file-unreadable = lässt sich nicht lesen: { $error }
prompts-none-found = keine Impulse gefunden (erwartet: *.toml-Dateien mit [[prompt]]-Einträgen)
prompts-no-prompts = das Paket hat keine [[prompt]]-Einträge
prompts-pack-id-twice = die Paket-ID `{ $id }` verwendet schon { $first }
prompts-prompt-id-twice = doppelte Impuls-ID `{ $id }` (zuerst verwendet in { $first })
# $error: die Worte des TOML-Parsers, auf Englisch.
prompts-toml-syntax = TOML-Syntaxfehler: { $error }
prompts-draft-mark = ein Vorschlag aus `ponder prompts draft`: lies und bearbeite den Impuls, dann lösch diese Zeile
prompts-not-an-array = hier gehört eine Liste von Tabellen hin ([[prompt]])
prompts-not-a-table = hier gehört eine Tabelle hin ([[prompt]])
prompts-bad-id = `{ $id }` ist keine gültige ID (erlaubt sind 1-64 Zeichen aus a-z, 0-9, '-', '_')
prompts-missing = fehlt (Pflichtfeld)
prompts-not-a-string = hier gehört ein Text hin
prompts-empty = darf nicht leer sein
prompts-too-long = ist { $length } Zeichen lang; erlaubt sind höchstens { $max }
prompts-bad-lang = `{ $lang }` ist kein Sprachcode (nimm einen kleingeschriebenen Code wie `en`, `de` oder `pt-br`)
prompts-not-strings = hier gehört eine Liste von Texten hin
prompts-weight-out-of-range = { $weight } liegt außerhalb des erlaubten Bereichs (ein Gewicht ist > 0 und <= 1000)
prompts-not-a-number = hier gehört eine Zahl hin
prompts-unknown-field = unbekanntes Feld `{ $field }` (erlaubt sind: { $known })

## Ein Paket, das ein anderes übersetzt (`translation_of`).

prompts-translation-of-translation = `{ $pack }` ist selbst eine Übersetzung (von `{ $original }`): übersetz das Original `{ $original }`
prompts-translation-of-nothing = kein Paket `{ $pack }` gefunden (nenn das Paket, dessen Impulse dieses übersetzt)
prompts-translation-same-lang = `{ $pack }` ist auch auf `{ $lang }`: eine Übersetzung ist in einer anderen Sprache (setz `lang`)
prompts-translation-twice = `{ $pack }` hat schon eine Übersetzung auf `{ $lang }` in { $first }
prompts-translation-id-twice = doppelte Impuls-ID `{ $id }` (zuerst verwendet in Zeile { $line })
prompts-translation-unknown-id = `{ $id }` ist kein Impuls von `{ $pack }` (eine Übersetzung verwendet die IDs der Impulse, die sie übersetzt)
prompts-translation-weight = eine Übersetzung übernimmt ihr Gewicht vom Original-Impuls (`{ $id }` wiegt { $weight }): lass es weg
