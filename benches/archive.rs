//! The archive page's cost (issue 16's figure): a channel with 1,000 prompts
//! and 100,000 replies, written by `ponder archive` (the database read, the
//! page rendered, the file written) and opened in headless Chromium.
//!
//! - `write`: `cli::archive::archive` on a real SQLite file seeded through
//!   Ponder's own `Db` (posts claimed and sent, replies stored in batches, as
//!   the bot does); replies are 20 to 180 characters (mean 100) by 500
//!   members, a tenth of them edited. Target: under 2 s.
//! - the file's size. Target: under 20 MB.
//! - DOMContentLoaded in Chromium (headless, no network, real time): median
//!   of three loads (the peer's: one), read in the `load` event by a probe
//!   script appended to a copy of the page. Target: under 1 s.
//!
//! The peer, in the same run on the same file: `sqlite3 -html`, the SQLite
//! shell writing the same posts and replies as bare HTML table rows (the
//! floor: reading the rows and escaping them, no page around them), timed
//! and sized the same way and opened in the same browser. Printed as
//! Ponder, peer, ratio; a missing `sqlite3` or Chromium is said, not hidden.
//!
//! `cargo bench --no-default-features --bench archive` measures; `cargo test`
//! runs it once at a tiny size and checks the page, so it cannot rot.

#[path = "../tests/engine/browser.rs"]
mod browser;
#[path = "support/machine.rs"]
mod machine;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use ponder::cli::archive::{ArchiveArgs, archive};
use ponder::db::{Db, NewPost, NewReply, ReplyChange};
use ponder::domain::rotation::Draw;
use ponder::prompt_files::PromptSource;

/// `cargo bench` passes `--bench`; `cargo test` does not: tiny sizes then.
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

const T0: i64 = 1_767_258_000; // 2026-01-01 09:00 UTC

/// A SQLite file with one channel, `prompts` posts and `replies` replies.
async fn seed(path: &Path, prompts: usize, replies: usize) {
    let db = Db::open(path).await.unwrap();
    let channel = db
        .ensure_channel("discord", "1100000000000000001", "Europe/Berlin", T0)
        .await
        .unwrap();
    let set = PromptSource::Embedded.load().unwrap();
    let pool: Vec<_> = set.prompts().cloned().collect();
    let per_post = replies / prompts.max(1);
    let mut stored = 0usize;
    for i in 0..prompts {
        let posted = T0 + i as i64 * 86_400;
        let new = NewPost {
            channel_id: channel.id,
            platform: "discord".into(),
            schedule_id: None,
            slot_at: None,
            idempotency_key: format!("bench-{i}"),
            now: posted,
        };
        let prompt = pool[i % pool.len()].clone();
        let (post, _) = db
            .claim_post(&new, |_| {
                Some(Draw {
                    prompt,
                    new_cycle: false,
                    left: 1,
                })
            })
            .await
            .unwrap()
            .unwrap();
        let message = format!("{}", 1_200_000_000_000_000_000u64 + i as u64);
        db.mark_sent(post.id, &message, &message, posted)
            .await
            .unwrap();
        let n = if i + 1 == prompts {
            replies - stored
        } else {
            per_post
        };
        let ids: Vec<String> = (0..n).map(|k| format!("{message}-{k}")).collect();
        let authors: Vec<(String, String)> = (0..n)
            .map(|k| {
                let who = (i * 7 + k * 13) % 500;
                (format!("{}", 900_000 + who), format!("Member {who}"))
            })
            .collect();
        let bodies: Vec<String> = (0..n)
            .map(|k| {
                let len = 20 + (i * 31 + k * 17) % 161;
                let words = "I would rather see how it works than trust that it does, most days. ";
                words.repeat(3)[..len].to_string()
            })
            .collect();
        let mut changes: Vec<ReplyChange<'_>> = (0..n)
            .map(|k| {
                ReplyChange::New(NewReply {
                    post_id: post.id,
                    platform: "discord",
                    message_id: &ids[k],
                    author_id: &authors[k].0,
                    author_name: &authors[k].1,
                    body: &bodies[k],
                    created_ms: (posted + 60 + k as i64 * 97) * 1000,
                    anonymous: false,
                    relayed: false,
                })
            })
            .collect();
        changes.extend((0..n).step_by(10).map(|k| ReplyChange::Edited {
            platform: "discord",
            message_id: &ids[k],
            body: &bodies[k],
            at: posted + 7_200,
        }));
        db.apply_reply_changes(&changes).await.unwrap();
        stored += n;
    }
}

fn args(db: &Path, out: &Path) -> ArchiveArgs {
    ArchiveArgs {
        db: ponder::db::Store::Sqlite(db.to_path_buf()),
        out: out.to_path_buf(),
        channel: None,
        from: None,
        to: None,
        names: "shown".into(),
        prompts: PromptSource::Embedded,
        language: None,
        config: None,
    }
}

/// The peer: `sqlite3 -html` writing the same posts and replies to a file,
/// wrapped in the least page a browser takes. `None` without `sqlite3`.
fn peer(db: &Path, out: &Path) -> Option<(Duration, PathBuf)> {
    let page = out.join("peer.html");
    let start = Instant::now();
    let rows = Command::new("sqlite3")
        .arg("-html")
        .arg(db)
        .arg(
            "SELECT p.prompt_title, p.prompt_text, p.posted_at, r.author_name, r.body, r.created_at, r.edited_at \
             FROM posts p JOIN replies r ON r.post_id = p.id WHERE r.deleted_at IS NULL \
             ORDER BY p.posted_at DESC, r.created_ms",
        )
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let mut html =
        b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>peer</title>\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head><body><table>"
            .to_vec();
    html.extend_from_slice(&rows.stdout);
    html.extend_from_slice(b"</table></body></html>");
    std::fs::write(&page, html).unwrap();
    Some((start.elapsed(), page))
}

/// DOMContentLoaded of `page` in Chromium, the median of `loads` loads, in ms.
fn dom_content_loaded(browser: &str, page: &Path, dir: &Path, loads: usize) -> f64 {
    let html = std::fs::read_to_string(page).unwrap();
    let mut runs: Vec<f64> = (0..loads)
        .map(|i| {
            let seen = browser::probe(browser, &html, None, dir, &format!("dcl-{i}"));
            assert_eq!(seen.pwned, None);
            seen.dom_content_loaded
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

fn write(c: &mut Criterion) {
    let (prompts, replies) = if measuring() {
        (1_000, 100_000)
    } else {
        (20, 400)
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.db");
    let out = dir.path().join("out");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(seed(&db, prompts, replies));
    let written = rt.block_on(archive(args(&db, &out))).unwrap();
    let page = written[0].clone();
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(
        html.matches("<li>\u{2068}Member ").count(),
        replies,
        "every reply is on the page"
    );
    assert_eq!(html.matches("<article class=\"post\"").count(), prompts);

    let mut group = c.benchmark_group("archive");
    group.sample_size(10);
    group.bench_function(
        format!("write ({prompts} prompts, {replies} replies)"),
        |bench| bench.iter(|| rt.block_on(archive(args(&db, &out))).unwrap()),
    );
    group.finish();
    if !measuring() {
        return;
    }
    // one more, timed alone, for the line printed beside the peer
    let start = Instant::now();
    rt.block_on(archive(args(&db, &out))).unwrap();
    let ours = start.elapsed();
    let size = std::fs::metadata(&page).unwrap().len() as f64 / 1e6;
    println!("{}", machine::description());
    println!(
        "archive, {prompts} prompts and {replies} replies: written in {:.2} s (target < 2 s), {size:.1} MB (target < 20 MB)",
        ours.as_secs_f64()
    );
    let peer = peer(&db, dir.path());
    match &peer {
        Some((took, file)) => {
            let peer_size = std::fs::metadata(file).unwrap().len() as f64 / 1e6;
            println!(
                "  peer sqlite3 -html, same rows: {:.2} s, {peer_size:.1} MB; ratio (Ponder/peer) {:.2} in time, {:.2} in size",
                took.as_secs_f64(),
                ours.as_secs_f64() / took.as_secs_f64(),
                size / peer_size
            );
        }
        None => println!("  peer: no sqlite3 here (apt install sqlite3), not measured"),
    }
    let Some(chromium) = browser::chromium() else {
        println!("  DOMContentLoaded: no Chromium here, not measured");
        return;
    };
    let ours = dom_content_loaded(chromium, &page, dir.path(), 3);
    print!("  DOMContentLoaded in Chromium: {ours:.0} ms (target < 1000 ms)");
    match &peer {
        Some((_, file)) => {
            // one load: the peer's 57 MB page takes minutes to load and dump
            let theirs = dom_content_loaded(chromium, file, dir.path(), 1);
            println!(
                "; peer page {theirs:.0} ms (one load), ratio {:.2}",
                ours / theirs
            );
        }
        None => println!(),
    }
}

criterion_group!(benches, write);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
