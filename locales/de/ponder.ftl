# Ponders Chat-Texte auf Deutsch (du-Form, wie deutschsprachige
# Discord-Communities schreiben). Jede id gibt es in jeder Sprache mit
# denselben Variablen (ein Test prüft das).

## Datum und Uhrzeit (siehe src/i18n/dates.rs): ein chrono-Muster; %b ist
## month-short, $clock ist %H:%M oder %H:%M:%S.

date-time-pattern = %a., %-d. %b %Y, { $clock } %Z
date-time-with-utc = { $local } ({ $utc } UTC)
month-short = { $month ->
    [1] Jan.
    [2] Feb.
    [3] März
    [4] Apr.
    [5] Mai
    [6] Juni
    [7] Juli
    [8] Aug.
    [9] Sept.
    [10] Okt.
    [11] Nov.
   *[12] Dez.
}

## Antworten auf jeden Befehl (src/engine/commands/mod.rs)

only-admins = Das dürfen hier nur Admins.
went-wrong = Bei Ponder ist etwas schiefgegangen; Details stehen im Log.
not-served = Ponder postet hier keine Impulse.
not-served-suggest = Ponder postet hier keine Impulse, also gibt es hier nichts vorzuschlagen. Frag in einem Kanal, in dem Ponder postet.
no-prompt-scheduled = Hier ist kein Impuls geplant.
no-open-prompt = Hier gibt es noch keinen offenen Impuls, auf den du antworten kannst.
now-failed = Konnte nicht posten: { $error }
now-posted = Gepostet: { $pack }/{ $prompt } (Post { $post }).
reload-done = Neu geladen: { $count ->
    [one] { $count } Impuls
   *[other] { $count } Impulse
}.
reload-kept =
    Die laufenden Impulse bleiben; die Dateien haben Fehler:
    { $problems }

## `language` (src/engine/commands/language.rs)

language-set = Ponder spricht hier jetzt { $name } (`{ $code }`).
language-current = Ponder spricht hier { $name } (`{ $code }`). Verfügbar: { $choices }; ändern mit `language CODE`.
language-unset = Hier ist keine Sprache eingestellt: Ponder antwortet auf { $name } (`{ $code }`), auf Discord in der eigenen Sprache jedes Mitglieds, sofern Ponder sie kann. Verfügbar: { $choices }; einstellen mit `language CODE`.
language-unknown = Ponder spricht kein `{ $tag }`; verfügbar sind { $choices }.

## `next`, `status` (src/engine/commands/schedules.rs, reports.rs, quiet.rs)

paused-here = Impulse sind hier pausiert ({ $reason }).
next-prompt = Nächster Impuls: { $when }.
quiet-slot-skipped = Der Termin { $when } entfällt: { $why }.
status-active = aktiv
status-paused = pausiert ({ $reason })
status-channel = Kanal { $channel } auf { $platform }: { $state }, Zeitzone { $zone }.
status-schedules = Zeitpläne: { $list }
status-schedules-none = keine
status-open-thread = Offener Thread: „{ $title }“ (Post { $post }), { $replies ->
    [one] { $replies } Antwort
   *[other] { $replies } Antworten
}.
status-rotation = Rotation: noch { $left } von { $total } Impulsen in dieser Runde{ $left ->
    [0] ; mit dem nächsten Impuls beginnt eine neue Runde.
    [1] ; nach dem nächsten Impuls beginnt die Runde von vorn und Impulse wiederholen sich.
   *[other] .
}
status-missing = Fehlende Berechtigungen: { $missing }.
status-suggestions = Wartende Vorschläge: { $count } (`suggestions`).
status-anonymous = Anonyme Reflexionen: erlaubt.
status-failed = Fehlgeschlagen: Post { $post } ({ $prompt }): { $error }
shards-connected = Shards: { $up } von { $total } verbunden
shards-range = {" "}(dieser Prozess betreibt die Shards { $range })
shard = ; #{ $shard } { $state }, { $servers ->
    [one] { $servers } Server
   *[other] { $servers } Server
}, { $latency }, { $resumes }× fortgesetzt
shard-up = verbunden
shard-down = getrennt
shard-latency = Latenz { $ms } ms
shard-latency-unknown = Latenz noch nicht gemessen
shards-more-down = ; und { $count } weitere getrennt

## Reflexionen (src/engine/reflections.rs)

reflect-done = Deine Reflexion steht im Thread zu „{ $title }“.
anon-not-private = Um anonym zu antworten, schick Ponder `!ponder anon TEXT` als Direktnachricht – dort sieht niemand, wer es geschrieben hat.
anon-not-allowed = Anonyme Reflexionen sind dort nicht erlaubt; ein Admin kann sie mit `anonymous on` erlauben.
anon-limit = Du hast zu diesem Impuls schon { $max } anonyme Reflexionen geschrieben, mehr geht nicht.
anon-done = Deine anonyme Reflexion steht im Thread zu „{ $title }“. Ponder speichert nicht, dass sie von dir ist.
platform-not-running = Diese Plattform läuft gerade nicht.
reflection-anonymous =
    Eine anonyme Reflexion:
    { $text }
reflection-by =
    { $name } denkt nach:
    { $text }
reflect-post-failed = Deine Reflexion konnte nicht gepostet werden: { $error }
anonymous-on = Mitglieder können hier jetzt anonym reflektieren (`/reflect anonymous:True` auf Discord, eine Direktnachricht `!ponder anon TEXT` auf Matrix). Ponder speichert dabei keine Autor*innen.
anonymous-off = Anonyme Reflexionen sind hier aus.
prompt-not-open = Impuls #{ $post } nimmt keine Antworten an.
anon-none-open = Gerade gibt es keinen offenen Impuls, auf den du anonym antworten kannst.
anon-several = Mehrere Impulse sind offen; nenn einen mit `anon #N TEXT`:
anon-candidate = #{ $post } „{ $title }“

## Zusammenfassungen (src/engine/digest.rs)

digest-to-thread = Wenn ein Thread schließt, kommt seine Zusammenfassung in den Thread.
digest-to-channel = Wenn ein Thread schließt, kommt seine Zusammenfassung in den Kanal.
digest-off = Hier gibt es keine Zusammenfassungen.
digest = „{ $title }“ ist geschlossen: { $replies ->
    [one] { $replies } Antwort
   *[other] { $replies } Antworten
} von { $people ->
    [one] { $people } Person
   *[other] { $people } Personen
}.
digest-excerpt = • { $name }: „{ $text }“

## Zeitpläne (src/engine/commands/schedules.rs, src/engine/permissions.rs)

skip-nothing = Hier ist nichts geplant, also gibt es nichts auszulassen.
skip-done = Der Impuls für { $when } wird ausgelassen.
paused = Pausiert. Bis `resume` kommen hier keine Impulse.
resumed = Fortgesetzt. { $next }
announce-ping = pingt { $who }
announce-pin = pinnt seinen Impuls
schedule-added = Zeitplan #{ $id } hinzugefügt: `{ $spec }` in { $zone }{ $announce }. Nächster: { $next }.
schedule-none = Hier gibt es keine Zeitpläne. Leg einen an mit `!ponder schedule add daily 09:00 Europe/Berlin`.
schedule-line = #{ $id } `{ $spec }` { $zone }{ $announce } ({ $origin }) nächster: { $next }
schedule-removed = Zeitplan #{ $id } entfernt.
schedule-returns-from = Er steht in { $file } und kommt beim Neustart zurück, solange er dort nicht entfernt wird.
schedule-returns = Er kommt beim nächsten Start zurück.
schedule-unknown = In diesem Kanal gibt es keinen Zeitplan #{ $id }; `!ponder schedule list` zeigt alle.
setup-done = Eingerichtet: Impulse kommen hier `{ $spec }` ({ $zone }){ $announce }, Zeitplan #{ $id }{ $replaced }. Nächster: { $next }. `now` postet sofort einen; `schedule add` fügt weitere Zeiten hinzu.
setup-replacing = , ersetzt Zeitplan { $list }
too-frequent = Dieser Zeitplan kommt im Abstand von { $gap }; Impulse dürfen hier höchstens alle { $min } kommen. (Wer Ponder betreibt, stellt das mit `min_schedule_interval` in config.toml ein.)
never = nie
permissions-ok = Berechtigungen geprüft: es fehlt nichts.
permissions-missing = Ponder fehlt hier: { $missing }. { $count ->
    [one] Gib Ponder diese Berechtigung
   *[other] Gib Ponder diese Berechtigungen
} (über seine Rolle oder die Berechtigungen dieses Kanals), sonst schlagen seine Posts fehl.

# Was eine Berechtigungsprüfung vermisst, aufgezählt in $missing oben. $permission
# ist der Name der Plattform (Discords englische Namen wie "Manage Messages"
# bleiben: danach wird gesucht).
missing-pin = { $permission } (um Impulse anzupinnen)
missing-role-gone = die Rolle { $role } zum Anpingen (es gibt sie nicht)
missing-role-unmentionable = { $permission } (die Rolle { $role } lässt sich nicht erwähnen)
missing-power = { $action } (Power-Level { $level }; Ponder hat { $mine })
missing-power-highest = das höchste
missing-action-send = Nachrichten senden
missing-action-redact = eigene Nachrichten entfernen (für forget-me)
missing-action-pin = Nachrichten anpinnen (m.room.pinned_events)
missing-not-in-room = { $user } zum Anpingen ist nicht in diesem Raum
missing-check-failed = die Prüfung selbst ist fehlgeschlagen: { $error }

## Die Konsole (src/platform/console.rs)

console-prompt = Impuls #{ $post } „{ $title }“
console-earlier-prompt = ein früherer Impuls
console-new-prompt = neuer Impuls #{ $post }: { $title }
console-written = Gespeichert unter { $path }
console-not-written = { $name } konnte nicht gespeichert werden: { $error }
console-file-end = --- Ende von { $name } ---
console-file-at = (Datei: { $path })
console-not-utf8 = (Ein Teil deiner Eingabe war kein UTF-8-Text; diese Bytes erscheinen als �. Das sagt Ponder nur einmal.)
console-reply-waits = (gerade ist kein Impuls offen: deine Antwort kommt in den Thread des nächsten Impulses)
console-reply-stored = Antwort gespeichert unter { $prompt }.
console-reply-cut = Sie war länger als { $max } Zeichen: die ersten { $max } bleiben.
console-reply-not-stored = (diese Antwort wurde nicht gespeichert: kein offener Thread)
console-reply-failed = (diese Antwort konnte nicht gespeichert werden; siehe Log)
console-thread-open = Der Thread zu Impuls #{ $post } ist { $open } offen: schreib eine Zeile, um zu antworten.
console-in-thread = im Thread zu { $prompt }
console-closed = Der Thread zu { $prompt } ist geschlossen.
console-privately = privat an { $user }
console-pinned = { $prompt } angepinnt
console-unpinned = { $prompt } gelöst

## Die Demo (src/cli/mod.rs)

demo-packs-built-in = den in Ponder eingebauten Paketen
demo-banner =
    Ponder-Demo: alle { $every } s ein Impuls in diesem Terminal, aus { $prompts }.
    Schreib eine Zeile, um im offenen Thread zu antworten, `!ponder help` für die Befehle, Strg-C zum Beenden.
    Die Antworten bleiben in { $db }; lies sie mit `ponder export --db { $db } --format md`.

## Was Ponder ist und speichert

help =
    !ponder help                       diese Liste
    !ponder next                       wann der nächste Impuls kommt
    !ponder reflect TEXT               auf den offenen Impuls antworten; landet in seinem Thread
    !ponder anon [#POST] TEXT          anonym antworten (per Direktnachricht an Ponder, wo erlaubt)
    !ponder suggest [uncredited] TEXT  einen Impuls vorschlagen; nach Freigabe durch Admins kommt er in die Rotation
    !ponder stats                      die letzten 30 Tage hier und deine Serie
    !ponder about                      was Ponder speichert und wer es lesen kann
    !ponder forget-me [confirm]        alles löschen, was Ponder über dich speichert
    !ponder setup SPEC [ZONE]          hier Impulse posten, z. B. `setup daily 09:00 Europe/Berlin` (Admins)
    !ponder now [prompt-id]            jetzt einen Impuls posten (Admins)
    !ponder skip                       den nächsten geplanten Impuls auslassen (Admins)
    !ponder pause | resume             die Zeitpläne dieses Kanals anhalten oder fortsetzen (Admins)
    !ponder schedule add SPEC [ZONE]   z. B. `daily 09:00 Europe/Berlin` oder `30 18 * * 1-5` (Admins)
    !ponder schedule list              die Zeitpläne dieses Kanals (Admins)
    !ponder schedule remove ID         (Admins)
    !ponder status                     Zeitpläne, offener Thread, Rotation (Admins)
    !ponder prompts list [PACK]        die Pakete, aus denen hier gezogen wird, oder die Impulse eines Pakets (Admins)
    !ponder prompts show|disable|enable ID
                                       ein Impuls; hier nie mehr ziehen oder wieder ziehen (Admins)
    !ponder prompts import             ein eigenes Paket: schick vorher seine .toml-Datei in den Raum
                                       (auf der Konsole: `prompts import FILE`) (Admins)
    !ponder prompts export-pack|remove-pack PACK
                                       eins deiner eigenen Pakete als Datei zurück, oder entfernt (Admins)
    !ponder prompts draft PACK         ein Paketentwurf aus einer vorher geschickten Textdatei (Admins)
    !ponder packs use PACK,PACK|all    die Pakete, aus denen dieser Kanal zieht (Admins)
    !ponder export [md|json|csv] [post ID] [from DAY] [to DAY]
                                       Impulse und Antworten dieses Kanals als Datei (Admins)
    !ponder archive [from DAY] [to DAY] [shown|initials|hidden]
                                       das Archiv dieses Kanals als Seite für den Browser (Admins)
    !ponder reload                     die Impulsdateien neu laden (Admins)
    !ponder digest thread|channel|off  wohin die Zusammenfassung geht, wenn ein Thread schließt (Admins)
    !ponder suggestions                die Vorschläge, die auf eine Entscheidung warten (Admins)
    !ponder approve ID                 einen Vorschlag zu den Impulsen dieses Kanals hinzufügen (Admins)
    !ponder reject ID [REASON]         einen Vorschlag ablehnen; wer ihn gemacht hat, erfährt den Grund (Admins)
    !ponder anonymous on|off           anonyme Reflexionen hier erlauben (Admins)
    !ponder language [en|de]           die Sprache, die Ponder hier spricht (Admins)
    !ponder quiet add FROM..TO [REASON]
                                       an diesen Tagen keine Impulse (in der Zeitzone des Kanals),
                                       z. B. `quiet add 2026-12-24..2026-12-26 Feiertage` (Admins)
    !ponder quiet weekly DAYS|off      jede Woche an diesen Tagen keine Impulse, z. B. `sat,sun` (Admins)
    !ponder quiet list | remove ID     die ruhigen Tage dieses Kanals (Admins)
    Zeitpläne nehmen `ping ROLE` (Discord) oder `ping @user:server,...` (Matrix) und `pin`,
    z. B. `schedule add daily 09:00 Europe/Berlin ping <@&123> pin`.

about =
    Ponder postet hier nach Zeitplan einen Impuls und bewahrt auf, was Leute in seinem Thread schreiben.
    Was gespeichert wird: jeder gepostete Impuls und wann; für jede Antwort im Thread eines Impulses deine Nutzer-ID, dein Anzeigename, der Text, wann du ihn geschrieben und zuletzt bearbeitet hast. Eine gelöschte Nachricht verliert ihren Text. Bei einer anonymen Reflexion speichert Ponder keine Nutzer-ID und keinen Namen, nur einen mit einem geheimen Schlüssel gebildeten Hash, den nur du reproduzieren kannst (indem du Ponder als du selbst fragst) – so gelten die Limits und `forget-me` findet sie. Bei einem Vorschlag: deine Nutzer-ID, dein Name, der Text und die Entscheidung der Admins. Sonst nichts: keine Nachrichten außerhalb von Impuls-Threads, keine Reaktionen, keine Direktnachrichten außer Befehlen.
    Wie lange: bis ein Admin die Datenbank entfernt oder bis du deine Daten mit `forget-me` löschst.
    Wer es lesen kann: die Admins dieses Kanals (mit `export`; anonyme Antworten erscheinen ohne Autor*in) und wer dieses Ponder betreibt.

## Was die Plattform-Adapter selbst sagen (src/platform/)

command-failed = Bei Ponder ist etwas schiefgegangen; die Details stehen im Log.
only-admins-discord = Das dürfen hier nur Admins (Server verwalten).
days-format = Schreib Tage als JJJJ-MM-TT, etwa 2026-11-24.
# Discord erlaubt für die Beschriftung eines Formularfelds höchstens 45 Zeichen.
reject-reason-label = Begründung (optional, geht an die Person)
reject-title = Vorschlag #{ $id } ablehnen
forget-me-confirm-in-direct = Zum Löschen schick hier, in diesem Direktchat, `!ponder forget-me confirm`.
answered-in-direct = Die Antwort steht in einer Direktnachricht.
direct-only = Das wird nur in einer Direktnachricht beantwortet; lade Ponder in eine ein.
