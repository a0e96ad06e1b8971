# Was Ponder auf einen falsch geschriebenen Befehl antwortet
# (src/domain/command/parse.rs, gerendert in src/i18n/refusals.rs). Die
# Syntax eines Befehls (`$syntax`) ist Grammatik und bleibt unübersetzt.

## Aufruf

usage-syntax = Aufruf: !ponder { $syntax }
usage-listed = Aufruf: !ponder { $syntax } (eine Nummer aus `{ $listing }`)
usage-example = Aufruf: !ponder { $syntax }, z. B. `{ $example }`
usage-unknown = Den Befehl `{ $command }` gibt es nicht; `!ponder help` zeigt alle Befehle.
usage-reason-too-long = Eine Begründung darf höchstens { $max } Zeichen lang sein.
usage-reflection-too-long = Eine Reflexion darf höchstens { $max } Zeichen lang sein; deine hat { $len }.
usage-suggestion-too-short = Ein Vorschlag braucht mindestens { $min } Zeichen: Schreib die Frage so, wie die Mitglieder sie lesen sollen.
usage-suggestion-too-long = Ein Vorschlag darf höchstens { $max } Zeichen lang sein; deiner hat { $len }.
usage-ping-without-target = Nach `ping` fehlt, wer gepingt werden soll: auf Discord eine Rolle, auf Matrix Nutzer-IDs.

## Ruhetage (src/domain/quiet.rs)

quiet-bad-date = `{ $word }` ist kein Datum; schreib Tage als JJJJ-MM-TT, z. B. 2026-12-24.
quiet-bad-backwards = { $first } liegt nach { $last }: Schreib den früheren Tag zuerst, also { $last }..{ $first }.
quiet-bad-too-long = { $first }..{ $last } sind { $days } Tage; Ruhetage am Stück dürfen höchstens ein Jahr umfassen ({ $max } Tage). Für einen freien Tag jede Woche gibt es `quiet weekly`.
quiet-bad-weekdays = `{ $list }` ist keine Liste von Wochentagen; schreib sie wie `sat,sun` oder `fri-sun`.
quiet-bad-every-day = Dann wäre jeder Tag der Woche ein Ruhetag; um hier keine Impulse mehr zu posten, nimm `pause`.
quiet-bad-empty = Ein leerer Ruhetag-Eintrag; schreib `2026-12-24..2026-12-26`, `2026-12-24` oder `sat,sun`.
quiet-bad-reason = Eine Begründung darf höchstens { $max } Zeichen lang sein; deine hat { $len }.

## Zeitpläne (src/domain/schedule.rs): `$reason` ist einer der Gründe unten

schedule-bad-cron = Ungültiger Cron-Ausdruck `{ $expr }`: { $reason }
schedule-bad-spec = Ungültiger Zeitplan `{ $spec }`: { $reason }
schedule-bad-zone = Unbekannte Zeitzone `{ $zone }` (nimm einen IANA-Namen wie Europe/Berlin oder America/New_York)
schedule-empty = Der Zeitplan ist leer; versuch es mit `daily 09:00` oder einem Cron-Ausdruck wie `0 9 * * *`
schedule-not-a-duration = `{ $amount }` ist keine Dauer; schreib eine ganze Zahl mit Einheit, z. B. `every 20s`, `every 15m` oder `every 2h`
schedule-interval-not-whole = Ein Intervall muss eine ganze Zahl von Sekunden sein, mindestens 1s
schedule-interval-too-long = Ein Intervall darf höchstens ein Jahr lang sein (366d); für seltenere Impulse nimm ein Datum, z. B. `0 9 1 1 *` (jeden 1. Januar um 09:00)
schedule-interval-one-word = Schreib das Intervall als ein Wort nach `every`, z. B. `every 20s` oder `every 2h`
schedule-zone-apart = `{ $zone }` ist eine Zeitzone: Gib sie getrennt vom Zeitplan an (als `timezone` des Kanals in der Konfiguration)
schedule-not-a-time = `{ $time }` ist keine Uhrzeit; schreib sie als HH:MM, z. B. 09:00
schedule-not-days = `{ $days }` ist weder `daily`, `weekdays`, `weekends` noch eine Liste von Tagen wie `mon,thu`

## Die Felder eines Cron-Ausdrucks (src/domain/schedule/fields.rs); `$term`
## ist der Name des Felds in cron selbst (`day-of-month`), `$field` einer der cron-field-*

cron-field-count = Es braucht 5 Felder (minute hour day-of-month month day-of-week), hier sind es { $found }
cron-empty-item = Im Feld „{ $field }“ (`{ $term }`) ist ein Eintrag leer: `{ $text }`
cron-step = Die Schrittweite im Feld „{ $field }“ (`{ $part }`) muss eine ganze Zahl sein, mindestens 1
cron-empty-part = Im Feld „{ $field }“ ist ein Teil leer: `{ $text }`
cron-out-of-range = Der Wert im Feld „{ $field }“ muss zwischen { $min } und { $max } liegen, nicht { $value }
cron-not-a-value = `{ $value }` ist kein gültiger Wert für das Feld „{ $field }“ ({ $min }–{ $max })
cron-not-a-name = `{ $value }` ist kein gültiger Wert für das Feld „{ $field }“ ({ $min }–{ $max } oder { $names })
cron-backwards = Der Bereich `{ $range }` im Feld „{ $field }“ läuft rückwärts; schreib den kleineren Wert zuerst
cron-not-understood = Nicht verstanden; die Felder sind minute hour day-of-month month day-of-week, z. B. `30 9 * * 1-5`
cron-never-fires = Er greift nie, denn diesen Tag gibt es in diesem Monat nicht
cron-field-minute = Minute
cron-field-hour = Stunde
cron-field-day-of-month = Tag im Monat
cron-field-month = Monat
cron-field-day-of-week = Wochentag
