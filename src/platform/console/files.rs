//! Files on the console: an archive page is written to a file in the
//! current directory and its path printed (a terminal cannot show a page);
//! other files (exports) are printed between two marker lines.

use std::path::PathBuf;

use super::Console;
use crate::engine::ChatError;

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
            self.say(&format!("--- {name} ---\n{body}--- end of {name} ---"));
            return;
        }
        match write_file(name, body.as_bytes()) {
            Ok(path) => self.say(&format!("Written to {}", path.display())),
            Err(e) => self.say(&format!("Could not write {name}: {e}")),
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
        self.say(&format!(
            "{place}:\n    {}\n    (file: {})",
            text.replace('\n', "\n    "),
            path.display()
        ));
        Ok(self.next_id())
    }
}
