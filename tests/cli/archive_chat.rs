//! `!ponder archive` on the console: the page is written to a file in the
//! current directory and its path printed (a terminal cannot show a page).

use crate::demo::PipedDemo;

#[test]
fn archive_on_the_console_writes_the_page_and_prints_its_path() {
    let mut demo = PipedDemo::start(|_| {});
    demo.wait_for("type a line to reply");
    demo.send(b"A reply for the archive\n");
    demo.wait_for("reply stored");
    let said = demo.ask("!ponder archive initials", "Written to ");
    assert!(
        said.contains("The archive of here: 1 prompt, to open in a browser."),
        "{said}"
    );
    let page = demo.dir.path().join("ponder-console-1.html");
    assert!(
        said.contains(&page.display().to_string()),
        "the path of the page: {said}"
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("A reply for the archive"));
    assert!(!said.contains("<!DOCTYPE"), "the page is not printed");
    demo.stop();
}
