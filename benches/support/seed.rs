//! Data the benchmarks start from: prompt packs of any size, and a database
//! holding many channels and schedules, written through Ponder's own `Db`.

#![allow(dead_code)]

use std::path::Path;

use ponder::db::Db;

/// Writes `count` prompts into `dir`, 100 per pack file.
pub fn write_prompts(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let per_pack = 100;
    for pack in 0..count.div_ceil(per_pack) {
        let mut toml = format!(
            "id = \"bench-{pack}\"\ntitle = \"Benchmark pack {pack}\"\ndescription = \"Generated for the benchmarks.\"\n"
        );
        for p in 0..per_pack.min(count - pack * per_pack) {
            toml.push_str(&format!(
                "\n[[prompt]]\nid = \"q-{pack}-{p}\"\ntitle = \"Question {p} of pack {pack}\"\ntext = \"\"\"\nWhat would you change about the way your community talks about question {p}, and why does it matter to you?\"\"\"\nfollow_ups = [\"What stops you?\", \"Who would notice first?\"]\ntags = [\"bench\"]\nweight = {}.0\n",
                1 + p % 3
            ));
        }
        std::fs::write(dir.join(format!("bench-{pack:04}.toml")), toml).unwrap();
    }
}

/// Adds `channels` channels on `platform` with `per_channel` schedules each,
/// in one transaction per channel batch (through the same `Db` methods the
/// bot uses, so the rows are exactly what `setup` and config would write).
pub async fn schedules(
    db: &Db,
    platform: &str,
    channels: usize,
    per_channel: usize,
    now: i64,
) -> Vec<i64> {
    let specs = [
        "daily 09:00",
        "weekdays 18:30",
        "mon,thu 12:00",
        "0 7 * * 1-5",
        "weekends 10:00",
        "every 6h",
        "30 21 * * *",
        "0 12 1 * *",
        "daily 06:45",
        "fri 17:00",
    ];
    let zones = [
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "Asia/Tokyo",
        "Australia/Sydney",
    ];
    let mut ids = Vec::with_capacity(channels * per_channel);
    for c in 0..channels {
        let tz = zones[c % zones.len()];
        let ch = db
            .ensure_channel(
                platform,
                &format!("{}", 900_000_000_000_000_000u64 + c as u64),
                tz,
                now,
            )
            .await
            .unwrap();
        for s in 0..per_channel {
            let spec = specs[(c + s) % specs.len()];
            ids.push(
                db.add_schedule(ch.id, spec, tz, "command", &Default::default(), now)
                    .await
                    .unwrap(),
            );
        }
    }
    ids
}
