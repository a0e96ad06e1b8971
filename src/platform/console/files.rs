//! Files on the console: an archive page is written to a file in the
//! current directory and its path printed (a terminal cannot show a page);
//! other files (exports) are printed between two marker lines.

use std::io::Read as _;
use std::path::PathBuf;

use super::Console;
use crate::domain::command::{Attached, Command, FileProblem, MAX_UPLOAD_BYTES, ReadFailure};
use crate::engine::ChatError;
use crate::prompt_files::draft::MAX_DRAFT_INPUT;
use crate::tr;

/// A command's file given by path (`prompts import FILE`), read: the
/// console is the operator's own terminal, so its disk is theirs. Reads at
/// most one byte over the command's limit, so the engine can say the file
/// is too large without the whole of it in memory.
pub(super) fn read_attached(cmd: &mut Command) {
    let limit = match cmd {
        Command::PackDraft { .. } => MAX_DRAFT_INPUT,
        _ => MAX_UPLOAD_BYTES,
    };
    let Some(file) = cmd.attached_mut() else {
        return;
    };
    let Attached::Path(path) = file else { return };
    let path = PathBuf::from(path.as_str());
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    // a file, not a pipe or a device the console would wait on
    let read = std::fs::File::open(&path)
        .map_err(|e| ReadFailure::from(&e))
        .and_then(|f| {
            if !f.metadata().map_err(|e| ReadFailure::from(&e))?.is_file() {
                return Err(ReadFailure::NotAFile);
            }
            let mut bytes = Vec::new();
            f.take(limit as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| ReadFailure::from(&e))?;
            Ok(bytes)
        });
    *file = match read {
        Ok(bytes) => Attached::File { name, bytes },
        Err(why) => Attached::Unusable(FileProblem::CannotRead {
            path: path.display().to_string(),
            why,
        }),
    };
}

/// Writes `body` to `name` in the current directory; returns the path.
/// `name` is Ponder's own (`ponder-console-1.html`): only its last part is
/// used, so it can never point elsewhere.
pub(super) fn write_file(name: &str, body: &[u8]) -> std::io::Result<PathBuf> {
    let file = std::path::Path::new(name)
        .file_name()
        .ok_or_else(|| std::io::Error::other(format!("`{name}` is not a file name")))?;
    let path = std::env::current_dir()?.join(file);
    std::fs::write(&path, body)?;
    Ok(path)
}

impl Console {
    /// Shows an answer's file: an HTML page written to a file (its path
    /// said), anything else printed.
    pub(super) fn show_file(&self, name: &str, body: &str) {
        if !name.ends_with(".html") {
            let end = tr!(self.lang, "console-file-end", name = name);
            self.say(&format!("--- {name} ---\n{body}{end}"));
            return;
        }
        match write_file(name, body.as_bytes()) {
            Ok(path) => self.say(&tr!(
                self.lang,
                "console-written",
                path = path.display().to_string()
            )),
            Err(e) => self.say(&tr!(
                self.lang,
                "console-not-written",
                name = name,
                error = e.to_string()
            )),
        }
    }

    /// A message with a file: its text, and where the file was written.
    pub(super) fn say_with_file(
        &self,
        place: &str,
        text: &str,
        name: &str,
        body: &[u8],
    ) -> Result<String, ChatError> {
        let path = write_file(name, body)
            .map_err(|e| ChatError::Refused(format!("cannot write {name}: {e}")))?;
        let at = tr!(
            self.lang,
            "console-file-at",
            path = path.display().to_string()
        );
        self.say(&format!(
            "{place}:\n    {}\n    {at}",
            text.replace('\n', "\n    ")
        ));
        Ok(self.next_id())
    }
}
