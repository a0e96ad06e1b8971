# Die Archivseite (src/archive.rs und src/archive/*), `ponder archive` und
# die Seite an einer Zusammenfassung (src/engine/digest_archive.rs). Die
# Seite ist HTML: Die Texte werden beim Einsetzen maskiert, auch &, < und >;
# $time und $source sind Markup, das der Code danach einsetzt.

## Daten auf der Seite: chrono-Muster; %b ist month-short (ponder.ftl).

# Im Satz „Gepostet am …“: „am 1. Dez. 2026 um 09:00 Uhr CET“.
archive-date-time-pattern = %-d. %b %Y um %H:%M Uhr %Z
archive-day-pattern = %-d. %b %Y
archive-reply-time-pattern = %-d. %b, %H:%M
archive-table-day-pattern = %d.%m.%Y
# $day: 1 ist Montag, 7 Sonntag. Die Kurzform beschriftet die Balken, die
# lange die Zeilen der Tabelle und die Beschreibung des Diagramms.
archive-weekday-short = { $day ->
    [1] Mo
    [2] Di
    [3] Mi
    [4] Do
    [5] Fr
    [6] Sa
   *[7] So
}
archive-weekday = { $day ->
    [1] Montag
    [2] Dienstag
    [3] Mittwoch
    [4] Donnerstag
    [5] Freitag
    [6] Samstag
   *[7] Sonntag
}

## Kopf, Navigation und Fuß der Seite

archive-title = Ponder-Archiv: { $platform } { $channel }
archive-index-title = Ponder-Archiv
archive-prompts = { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}
archive-replies = { $replies ->
    [one] { $replies } Antwort
   *[other] { $replies } Antworten
}
# $span ist archive-span-range, archive-span-day oder nichts.
archive-summary = { $prompts } und { $replies }{ $span }. Alle Zeiten in { $zone }.
archive-span-range = , vom { $first } bis zum { $last }
archive-span-day = , am { $day }
archive-nav = Auf dieser Seite
archive-figures = In Zahlen
archive-themes = Themen
archive-prompts-link = Die Impulse
archive-prompts-heading = Die Impulse, die neuesten zuerst
archive-footer = Geschrieben von Ponder. Gelöschte Antworten und solche, die ihre Verfasser gelöscht haben, fehlen hier; anonyme Reflexionen tragen keinen Namen.

## Ein Impuls und seine Antworten (src/archive/post.rs)

archive-page-posted = Gepostet am { $time }
archive-thread-link = zum Thread
archive-source = Aus der Quelle: { $source }
archive-no-replies = Keine Antworten
archive-anonymous = anonym
archive-edited = , bearbeitet
# Ein Verfasser, wenn Namen verborgen sind, und die Erwähnung eines
# Mitglieds in einer Antwort.
archive-a-member = ein Mitglied
archive-mention = @mitglied

## Die Zahlen (src/archive/charts.rs)

archive-series-replies = Antworten
archive-series-people = Personen
archive-over-time = Antworten im Lauf der Zeit
archive-over-time-title = Antworten und Beteiligte je Impuls
archive-over-time-desc = { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}, der älteste links; zu jedem ein Balken für seine Antworten und einer für die Personen, die sie geschrieben haben. Die meisten Antworten auf einen Impuls: { $most }. Die Tabelle darunter enthält dieselben Zahlen.
archive-over-time-table = Antworten je Impuls als Tabelle
archive-col-prompt = Impuls
archive-col-posted = Gepostet
archive-col-replies = Antworten
archive-col-people = Personen
archive-col-weekday = Wochentag
archive-col-hour = Stunde
archive-most = Die meisten Antworten
archive-most-title = Die Impulse mit den meisten Antworten
# $list: der Titel jedes Impulses mit seinen Antworten in Klammern, durch "; " getrennt.
archive-most-desc = { $prompts ->
    [one] Der Impuls mit den meisten Antworten: { $list }.
   *[other] Die { $prompts } Impulse mit den meisten Antworten, der stärkste zuerst: { $list }.
}
archive-most-table = Die meisten Antworten als Tabelle
archive-when = Wann geantwortet wird
archive-when-note = Nach Wochentag und nach Stunde, in der Zeitzone des Kanals ({ $zone }).
archive-weekdays-title = Antworten nach Wochentag
archive-weekdays-desc = Antworten an jedem Wochentag, von Montag bis Sonntag; die meisten am { $day }.
archive-weekdays-table = Antworten nach Wochentag als Tabelle
archive-hours-title = Antworten nach Stunde
archive-hours-desc = Antworten in jeder Stunde des Tages, 0 bis 23 Uhr, in { $zone }; die meisten ab { $hour } Uhr.
archive-hours-table = Antworten nach Stunde als Tabelle

## Themen (src/archive/themes.rs)

archive-themes-note = Jeder Impuls einmal, mit den Tagen, an denen er gepostet wurde, geordnet nach Paket und nach Schlagwort.
archive-by-pack = Nach Paket
archive-by-tag = Nach Schlagwort
archive-not-posted = nicht gepostet

## Die Seite an der Zusammenfassung eines schließenden Threads
## (src/engine/digest_archive.rs): der Name ihrer Datei und die Beschriftung,
## wenn sie in einer eigenen Nachricht kommt.

archive-digest-file = ponder-{ $platform }-{ $channel }-beitrag-{ $post }.html
archive-digest-caption = Das Archiv zu „{ $title }“, zum Öffnen im Browser.
