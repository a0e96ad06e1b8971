# Messages of the packs, prompts, curation and archive commands.
# Pack: Paket; prompt: Impuls; slot: Termin; draw: ziehen (wie in ponder.ftl).

## `prompts list [PACK]` (src/engine/commands/prompts.rs)

prompts-pool = Dieser Kanal zieht aus { $packs ->
    [one] { $packs } Paket
   *[other] { $packs } Paketen
} mit { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulsen
}; in dieser Runde der Rotation { $done ->
    [one] wurde { $done } davon gepostet
   *[other] wurden { $done } davon gepostet
}.
prompts-pool-pack = - { $pack }{ $title }: { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}, { $done } in dieser Runde gepostet
prompts-name-a-pack = Nenn ein Paket, um seine Impulse zu sehen.
prompts-no-such-pack = Dieser Kanal zieht aus keinem Paket `{ $pack }`. Seine Pakete: { $packs }.
packs-none = keine
prompts-pack = { $pack }{ $title }: { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}.
prompts-line = - { $id }: { $title }
prompts-line-posted = - { $id }: { $title } (in dieser Runde gepostet)
prompts-more = … und { $count } weitere.
pack-title = , „{ $title }“
pack-title-suggestions = {" "}(freigegebene Vorschläge)

## `prompts show|disable|enable ID`, `prompts remove-pack|export-pack PACK`,
## `packs use` (src/engine/commands/curate.rs). $place ist `server` (ein
## Discord-Server) oder `room` (ein Matrix-Raum, die Konsole).

prompt-unknown = Hier gibt es keinen Impuls `{ $id }`. `prompts list PACK` zeigt die Impulse eines Pakets.
prompt-source = Quelle: „{ $source }“
prompt-disabled-here = Hier deaktiviert: wird nie gezogen (`prompts enable` holt ihn zurück).
prompt-in-rotation = In der Rotation dieses Kanals.
prompt-not-in-rotation = Nicht in der Rotation dieses Kanals: Sein Paket gehört nicht zu denen, aus denen dieser Kanal zieht (`packs use`).
prompt-disabled = { $name } ist { $place ->
    [server] auf diesem Server
   *[room] in diesem Raum
} deaktiviert: Er wird nicht mehr gezogen, bis `prompts enable { $id }` ihn zurückholt. Dieser Kanal zieht jetzt aus { $left ->
    [one] { $left } Impuls
   *[other] { $left } Impulsen
}.
prompt-disabled-nothing-left = Da nichts mehr zu ziehen bleibt, posten seine Termine nichts: Aktiviere einen Impuls oder wähl mit `packs use` andere Pakete.
prompt-already-disabled = { $name } war { $place ->
    [server] auf diesem Server
   *[room] in diesem Raum
} schon deaktiviert.
prompt-enabled = { $name } ist { $place ->
    [server] auf diesem Server
   *[room] in diesem Raum
} wieder aktiviert: Er kann wieder gezogen werden.
prompt-not-disabled = { $name } war { $place ->
    [server] auf diesem Server
   *[room] in diesem Raum
} nicht deaktiviert.
pack-shipped = `{ $pack }` gehört zu den Paketen, die Ponder mitbringt: Seine Datei verwaltet, wer Ponder betreibt. Damit hier nicht mehr daraus gezogen wird: `packs use` mit den Paketen, die du willst.
pack-not-imported = Hier wurde kein Paket `{ $pack }` importiert. Hier importiert: { $packs }.
pack-removed = Paket `{ $pack }` ({ $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}) entfernt. Schon gepostete Impulse daraus bleiben im Archiv.
pack-exported = Paket `{ $pack }` ({ $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}), so wie es importiert wurde.
packs-unknown = Hier gibt es kein Paket { $packs }. Die Pakete: { $all }.
packs-use-empty = In { $packs } gibt es keinen Impuls, den dieser Kanal ziehen könnte (alle deaktiviert?); er behält seine bisherigen Pakete.
packs-use-all = Dieser Kanal zieht jetzt aus allen Paketen: { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}.
packs-use-these = Dieser Kanal zieht jetzt aus { $packs }: { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}.

## `prompts import`, `prompts draft PACK` (src/engine/commands/packs.rs)

pack-attach = Es fehlt { $what }: Häng sie auf Discord als Option `file` an den Befehl; schick sie auf Matrix zuerst in diesen Raum und dann den Befehl; gib auf der Konsole ihren Pfad an.
pack-attach-pack = die .toml-Datei des Pakets
pack-attach-draft = die Textdatei, aus der entworfen werden soll (reiner Text oder Markdown)
file-not-text = `{ $name }` ist kein UTF-8-Text, deshalb kann Ponder die Datei nicht lesen.
pack-too-large = `{ $name }` ist { $size } KB groß; eine Paketdatei darf höchstens { $max } KB groß sein.

## Dateien, die ein Adapter nicht nehmen konnte (src/domain/command.rs `FileProblem`)

file-too-large = `{ $name }` ist { $size } KB groß; dieser Befehl nimmt Dateien bis höchstens { $max } KB.
file-too-large-draft = `{ $name }` ist { $size } KB groß; ein Text für einen Entwurf darf höchstens { $max } KB groß sein.
file-not-fetched = Ponder konnte `{ $name }` nicht von Discord abholen; häng die Datei gleich noch einmal an.
file-not-downloaded = Ponder konnte `{ $name }` nicht vom Homeserver herunterladen; schick die Datei noch einmal und dann den Befehl.
file-history-unreadable = Ponder konnte die letzten Nachrichten in diesem Raum nicht lesen, um deine Datei zu finden; versuch es noch einmal.
file-path-refused = Schick auf Matrix zuerst die Datei in diesen Raum und dann den Befehl ohne Pfad.
file-cannot-read = { $path } lässt sich nicht lesen: { $error }.
file-cannot-read-not-found = { $path } lässt sich nicht lesen: Diese Datei gibt es nicht.
file-cannot-read-denied = { $path } lässt sich nicht lesen: Ponder darf sie nicht öffnen (keine Berechtigung).
file-cannot-read-not-a-file = { $path } lässt sich nicht lesen: Das ist keine gewöhnliche Datei (ein Ordner, eine Pipe oder ein Gerät?).
file-not-sent = Die Datei { $name } konnte nicht gesendet werden; warum, steht in Ponders Log.
pack-problems = { $count ->
    [one] { $count } Problem
   *[other] { $count } Probleme
} in `{ $name }`; es wurde nichts importiert:
pack-problems-more = … und { $count } weitere, alle in der angehängten Datei.
pack-id-shipped = `{ $id }` ist die ID eines Pakets, das Ponder mitbringt; wähl eine andere
pack-id-reserved = `{ $id }` ist ein Wort, das Ponder für sich reserviert; wähl ein anderes
prompt-id-taken = `{ $id }` ist schon die ID { $taken }; IDs sind über alle Pakete hinweg eindeutig, wähl eine andere
prompt-id-of-suggestion = eines freigegebenen Vorschlags (die IDs `suggestion-N` gehören den Vorschlägen)
prompt-id-of-shipped = eines Impulses, den Ponder mitbringt (in `{ $pack }`)
prompt-id-of-own = eines Impulses aus deinem Paket `{ $pack }`
packs-too-many = diese Community hat { $count } Pakete, mehr sind nicht erlaubt; entferne zuerst eins (`prompts remove-pack`)
packs-too-many-prompts = damit hätten die Pakete dieser Community { $total } Impulse; erlaubt sind { $max }
pack-imported = Paket `{ $pack }` („{ $title }“) importiert: { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}.
pack-replaced = Paket `{ $pack }` („{ $title }“) ersetzt: { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}, vorher { $old }.
pack-offered-server = Es steht nur in den Kanälen dieses Servers zur Verfügung.
pack-offered-room = Es steht nur in diesem Raum zur Verfügung.
pack-drawn-here = Dieser Kanal zieht daraus.
pack-not-drawn-here = Dieser Kanal zieht nur aus { $packs }: `packs use { $list },{ $pack }` nimmt es dazu.
pack-drafted = Paket `{ $pack }` aus `{ $name }` entworfen: { $questions ->
    [one] { $questions } Frage
   *[other] { $questions } Fragen
} wie geschrieben und { $candidates ->
    [one] { $candidates } Kandidat
   *[other] { $candidates } Kandidaten
} mit `draft = true` markiert. Bearbeite sie, lösch die Entwurfsmarkierungen und importier die Datei dann mit `prompts import`.
draft-bad-id = `{ $id }` ist keine gültige Paket-ID (erlaubt sind 1–64 Zeichen aus a-z, 0-9, '-', '_').
draft-too-long = Der Text ist { $size } Bytes lang; für einen Entwurf werden höchstens { $max } gelesen.
draft-nothing = Im Text steht keine Frage, keine These und kein Gegensatz ({ $count } Sätze gelesen): Es gibt nichts zu entwerfen.

## `archive` (src/engine/commands/archive.rs); das Upload-Limit und eine
## darauf gekürzte Datei nennt auch `export`. $platform ist `discord`,
## `matrix` oder der Name einer anderen Plattform.

# Das Dezimalzeichen in Größen (`1,5 MB`).
decimal-point = ,
upload-limit = das Upload-Limit { $platform ->
    [discord] von Discord
    [matrix] des Matrix-Servers
   *[other] von { $platform }
} ({ $size })
narrowed = Die ganze Datei wäre größer als { $limit }, deshalb enthält sie nur die Impulse ab dem { $first } ({ $kept } von { $total }; Tage in UTC). Für die früheren frag noch einmal mit `{ $from }to { $before }`.
archive-backwards = `from { $from }` liegt nach `to { $to }`: Dazwischen ist nichts.
archive-none-between = Zwischen diesen Tagen gab es hier keine Impulse.
archive-none-yet = Hier gab es noch keine Impulse: Es gibt nichts zu archivieren.
archive-too-large = Schon die Impulse des neuesten Tages ergeben eine Seite, die größer ist als { $limit }. `ponder archive` auf dem Rechner des Bots schreibt das ganze Archiv.
archive-file = Das Archiv von hier: { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}, zum Öffnen im Browser.
archive-file-public = Das Archiv dieses Kanals: { $prompts ->
    [one] { $prompts } Impuls
   *[other] { $prompts } Impulse
}, zum Öffnen im Browser.
archive-no-files = Ponder kann auf dieser Plattform keine Dateien posten.
archive-post-failed = Das Archiv konnte nicht im Kanal gepostet werden: { $error }
archive-posted = Das Archiv ist im Kanal gepostet.
