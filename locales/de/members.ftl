# Die Texte zu Ruhetagen, Berichten, forget-me und Vorschlägen.

## Ruhetage (src/engine/commands/quiet.rs, src/engine/quiet.rs)

quiet-day = Ruhetag { $day } (#{ $id } { $rule }{ $reason })
quiet-note-over = vorbei
quiet-note-config = aus der Konfiguration
quiet-already-over = { $rule } ist hier schon vorbei (heute ist der { $today } in { $zone }); da gibt es nichts mehr ruhig zu halten.
quiet-too-many = Dieser Kanal hat schon { $max } Ruhetag-Regeln, mehr gehen nicht; entferne alte mit `quiet remove ID` (`quiet list` zeigt sie).
quiet-added = Ruhetag #{ $id } hinzugefügt: { $rule }{ $reason }, Tage in { $zone }. Termine an diesen Tagen entfallen und werden nicht nachgeholt. { $next }
quiet-none = Hier gibt es keine Ruhetage. Leg welche an mit `quiet add 2026-12-24..2026-12-26 Feiertage` oder mit `quiet weekly sat,sun` für freie Tage in jeder Woche.
quiet-list = Ruhetage hier (Tage in { $zone }):
quiet-unknown = In diesem Kanal gibt es keinen Ruhetag #{ $id }; `quiet list` zeigt alle.
quiet-removed = Ruhetag #{ $id } ({ $rule }) entfernt.
quiet-returns-from = Er steht in { $file } und kommt beim Neustart zurück, solange er dort nicht entfernt wird.
quiet-returns = Er kommt beim nächsten Start zurück.
quiet-weekly-set = Ruhetag #{ $id }: { $rule }, Tage in { $zone }{ $replacing }.
quiet-weekly-replacing = {" "}(ersetzt die bisherige wöchentliche Regel)
quiet-weekly-config = { $rules } aus der Konfiguration bleibt; das lässt sich nur dort ändern.
quiet-weekly-none = Hier gibt es keine wöchentlichen Ruhetage.
quiet-weekly-none-in-chat = Im Chat waren keine wöchentlichen Ruhetage eingestellt.
quiet-weekly-removed = Wöchentliche Ruhetage entfernt.

## `export`, `stats` (src/engine/commands/reports.rs)

export-too-large = Schon die Posts des neuesten Tages ergeben eine Datei über dem Upload-Limit { $platform ->
    [discord] von Discord
    [matrix] des Matrix-Servers
   *[other] von { $platform }
} ({ $size }); exportiere die Posts einzeln mit `post ID`.
export-done = { $posts ->
    [one] { $posts } Post
   *[other] { $posts } Posts
} exportiert.
stats-last-days = Die letzten 30 Tage hier: { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}, { $replies ->
    [one] { $replies } Antwort
   *[other] { $replies } Antworten
} von { $people ->
    [one] { $people } Person
   *[other] { $people } Personen
} ({ $rate } Antworten pro Impuls).
stats-most-answered = Am meisten beantwortet: { $list }.
stats-answered = „{ $title }“ ({ $count })
stats-streak = Deine Serie: { $count ->
    [one] { $count } Impuls
   *[other] { $count } Impulse
} in Folge.

## `forget-me` (src/engine/forget.rs)

forget-ask = Ponder speichert { $replies ->
    [one] { $replies } Antwort
   *[other] { $replies } Antworten
} von dir{ $suggestions } auf { $platform }. Löschen entfernt sie endgültig aus seiner Datenbank{ $relayed }. Zum Löschen gib `forget-me` noch einmal mit confirm ein.
forget-ask-suggestions = {" "}und { $count ->
    [one] { $count } Vorschlag
   *[other] { $count } Vorschläge
}
forget-ask-relayed = {" "}und löscht die Reflexionen, die Ponder für dich gepostet hat; deine eigenen Nachrichten auf { $platform } kannst du selbst löschen
forget-done = Erledigt: { $replies ->
    [one] { $replies } Antwort
   *[other] { $replies } Antworten
} gelöscht.{ $also } Ponder speichert jetzt nichts mehr von dir, nur die IDs dieser Nachrichten, damit es sie nie wieder sammelt.
forget-done-suggestions = { $count ->
    [one] { $count } Vorschlag
   *[other] { $count } Vorschläge
}
forget-done-relayed = { $count ->
    [one] { $count } Nachricht
   *[other] { $count } Nachrichten
}, die Ponder für dich gepostet hat, von { $platform } entfernt

## Vorschläge (src/engine/suggestions.rs)

suggestion-credit = — vorgeschlagen von { $name }
suggest-pending-limit = Du hast hier schon { $count ->
    [one] { $count } Vorschlag
   *[other] { $count } Vorschläge
} offen; darüber entscheidet zuerst ein Admin.
suggest-daily-limit = Du hast in den letzten 24 Stunden { $count ->
    [one] { $count } Vorschlag
   *[other] { $count } Vorschläge
} gemacht, mehr nimmt Ponder nicht an; versuch es morgen wieder.
suggest-named = beim Posten wirst du genannt
suggest-unnamed = du wirst nicht genannt
suggest-thanks = Danke: Vorschlag #{ $id } wartet auf einen Admin ({ $credit }). Du bekommst eine Direktnachricht, sobald er entschieden ist.
suggestions-none = Hier warten keine Vorschläge.
suggestions-waiting = { $count ->
    [one] { $count } Vorschlag wartet
   *[other] { $count } Vorschläge warten
}:
suggestions-line = #{ $id } von { $name }{ $uncredited }: { $text }
suggestions-uncredited = , ohne Namensnennung
suggestions-approve = #{ $id } annehmen
suggestions-reject = #{ $id } ablehnen
suggestions-how = `approve ID` nimmt einen in die Impulse dieses Kanals auf; `reject ID [REASON]` lehnt ihn ab (wer ihn vorgeschlagen hat, erfährt es).
suggestion-unknown = Hier gibt es keinen Vorschlag #{ $id }; `suggestions` zeigt alle.
suggestion-was = Vorschlag #{ $id } wurde schon { $state ->
    [approved] angenommen
    [rejected] abgelehnt
   *[other] { $state }
}.
suggestion-decided = Über Vorschlag #{ $id } wurde schon entschieden.
suggestion-dm-approved =
    Dein Vorschlag #{ $id } für { $place } wurde angenommen: er kommt dort zu den Impulsen.
    > { $text }
suggestion-dm-rejected =
    Dein Vorschlag #{ $id } für { $place } wurde nicht übernommen.{ $why }
    > { $text }
suggestion-dm-why = {" "}Die Admins schreiben dazu: { $reason }
suggester-told = Wer ihn vorgeschlagen hat, ist benachrichtigt.
suggester-not-told = Wer ihn vorgeschlagen hat, konnte nicht benachrichtigt werden: { $error }.
suggester-no-platform = Wer ihn vorgeschlagen hat, konnte nicht benachrichtigt werden: die Plattform läuft nicht.
suggestion-approved = Vorschlag #{ $id } angenommen: er kommt in die Rotation dieses Kanals. { $told }
suggestion-rejected = Vorschlag #{ $id } abgelehnt. { $told }
