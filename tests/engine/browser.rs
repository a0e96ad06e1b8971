//! A real browser for the archive's pages: headless Chromium with a fresh
//! profile and every host unresolvable (nothing can leave the machine), and
//! axe-core (from the npm registry, installed into the target directory on
//! first use) for the accessibility audit. Under `CI=true` a missing
//! Chromium or npm fails the run; elsewhere the checks say they did not run.
//!
//! Shared by the engine tests and the archive benchmark (`#[path]`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The axe-core release the audit runs (pinned: rules change between releases).
pub const AXE_VERSION: &str = "4.10.2";

fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Chromium's binary, or `None` (outside CI) after saying why the caller
/// does nothing; under `CI=true` a missing browser fails the run.
pub fn chromium() -> Option<&'static str> {
    for bin in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(bin);
        }
    }
    assert!(
        !in_ci(),
        "CI=true but no Chromium: .ci/run installs Debian's `chromium`"
    );
    eprintln!("NOTE: no Chromium here (apt install chromium); the browser checks did not run");
    None
}

/// The DOM after the page loaded (and any script it holds ran), with every
/// host unresolvable, so a request could not leave the machine; a
/// screenshot where asked.
pub fn dom(browser: &str, page: &Path, profile: &Path, screenshot: Option<&Path>) -> String {
    dom_in(browser, page, profile, screenshot, true)
}

/// [`dom`], under virtual time (scripts' timers run out before the dump,
/// but page timings read nothing real) or in real time (the dump comes
/// right after the load event).
fn dom_in(
    browser: &str,
    page: &Path,
    profile: &Path,
    screenshot: Option<&Path>,
    virtual_time: bool,
) -> String {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--window-size=420,900",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    if virtual_time {
        cmd.arg("--virtual-time-budget=10000");
    }
    if let Some(shot) = screenshot {
        cmd.arg(format!("--screenshot={}", shot.display()));
    }
    let out = cmd
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// axe-core's script, installed with npm on first use; `None` (outside CI)
/// when npm is missing.
pub fn axe() -> Option<String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("axe-core-{AXE_VERSION}"));
    let script = dir.join("node_modules/axe-core/axe.min.js");
    if !script.exists() {
        let installed = Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--prefix",
            ])
            .arg(&dir)
            .arg(format!("axe-core@{AXE_VERSION}"))
            .status();
        match installed {
            Ok(s) if s.success() => {}
            Ok(s) => panic!("npm install axe-core@{AXE_VERSION} failed: {s}"),
            Err(e) => {
                assert!(!in_ci(), "CI=true but no npm ({e}): .ci/run installs it");
                eprintln!("NOTE: no npm here ({e}); the accessibility audit did not run");
                return None;
            }
        }
    }
    Some(std::fs::read_to_string(script).unwrap())
}

/// What a probe script saw in the page, once loaded.
#[derive(Debug, serde::Deserialize)]
pub struct Probe {
    /// axe-core's violations: `(rule, impact, where)`.
    #[serde(default)]
    pub violations: Vec<(String, String, Vec<String>)>,
    /// The page's width against the window's: wider means it scrolls sideways.
    pub scroll_width: u32,
    pub inner_width: u32,
    /// `document.body.dataset.pwned`, which a member's script would set.
    pub pwned: Option<String>,
    /// When DOMContentLoaded ended, in ms from the start of navigation (real
    /// time only without axe-core: its audit runs under virtual time).
    pub dom_content_loaded: f64,
}

/// The page as a file with scripts allowed and a probe appended: axe-core
/// (when given) audits the page as it was written, then the probe writes
/// what it saw into the DOM, which [`probe`] reads. The page itself is
/// unchanged but for its Content-Security-Policy, which no longer stops
/// scripts: a member's markup that survived escaping would now run.
pub fn probe_page(html: &str, axe: Option<&str>) -> String {
    let csp_start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .expect("the page has a CSP");
    let csp_end = csp_start + html[csp_start..].find('>').unwrap() + 1;
    // Once the page has loaded (so DOMContentLoaded has ended): axe-core's
    // audit, asynchronous (run under virtual time, see `probe`), or the
    // report at once, synchronously in the load event, so that Chromium's
    // `--dump-dom` (taken after it) holds it.
    let audit = match axe {
        Some(_) => {
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', \
             'wcag21aa', 'wcag22aa', 'best-practice']}, resultTypes: ['violations']}).then(report)"
        }
        None => "report({violations: []})",
    };
    let probe = format!(
        "<script>{axe}</script>\n<script>\n\
         function report(r) {{\n\
           const nav = performance.getEntriesByType('navigation')[0];\n\
           const seen = {{\n\
             violations: r.violations.map(v => [v.id, v.impact || '', v.nodes.slice(0, 5).map(n => n.target.join(' '))]),\n\
             scroll_width: document.documentElement.scrollWidth,\n\
             inner_width: window.innerWidth,\n\
             pwned: document.body.dataset.pwned || null,\n\
             dom_content_loaded: nav ? nav.domContentLoadedEventEnd : -1,\n\
           }};\n\
           const pre = document.createElement('pre');\n\
           pre.id = 'probe';\n\
           pre.textContent = JSON.stringify(seen);\n\
           document.body.appendChild(pre);\n\
         }}\n\
         window.addEventListener('load', () => {{ {audit}; }});\n</script>\n",
        axe = axe.unwrap_or(""),
    );
    let body_end = html.rfind("</body>").expect("the page has a body");
    format!(
        "{}<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">{}{probe}{}",
        &html[..csp_start],
        &html[csp_end..body_end],
        &html[body_end..]
    )
}

/// Opens `html` with the probe (and axe-core, when given) in Chromium and
/// returns what the probe saw.
pub fn probe(browser: &str, html: &str, axe: Option<&str>, dir: &Path, name: &str) -> Probe {
    let page: PathBuf = dir.join(format!("{name}.probe.html"));
    std::fs::write(&page, probe_page(html, axe)).unwrap();
    let profile = dir.join(format!("profile-{name}"));
    let dom = dom_in(browser, &page, &profile, None, axe.is_some());
    let start = dom
        .find("<pre id=\"probe\">")
        .unwrap_or_else(|| panic!("the probe did not report (did a script fail?)"))
        + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}
