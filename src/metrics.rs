//! The metrics Ponder records, in one place so their names and labels stay
//! consistent. Recording is a no-op until [`install`] has run (it runs when
//! `[http]` is configured).

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Installs the process-wide recorder once and returns its handle.
pub fn install() -> anyhow::Result<PrometheusHandle> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    if let Some(h) = HANDLE.get() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full("ponder_schedule_lateness_seconds".into()),
            &[
                0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0, 3600.0, 21600.0,
            ],
        )?
        .install_recorder()?;
    metrics::describe_counter!(
        "ponder_posts_total",
        "Prompts by platform and outcome (posted, retried, failed, missed, skipped)."
    );
    metrics::describe_counter!("ponder_replies_total", "Replies stored, by platform.");
    metrics::describe_histogram!(
        "ponder_schedule_lateness_seconds",
        "Seconds between a slot's time and its post."
    );
    metrics::describe_gauge!(
        "ponder_platform_connected",
        "1 when the platform connection is up."
    );
    metrics::describe_counter!("ponder_errors_total", "Errors by kind.");
    metrics::describe_gauge!(
        "ponder_shard_connected",
        "1 when the Discord shard's connection is up, by shard."
    );
    metrics::describe_gauge!(
        "ponder_shard_guilds",
        "Guilds the Discord shard holds, as its READY said."
    );
    metrics::describe_gauge!(
        "ponder_shard_range",
        "1 for the range of the bot's shards this process runs (first, last, total), when it runs a range."
    );
    metrics::describe_gauge!(
        "ponder_shard_latency_seconds",
        "The Discord shard's last heartbeat round trip."
    );
    metrics::describe_gauge!(
        "ponder_guild_checks_pending",
        "Discord servers (GUILD_CREATE) queued or being checked at start-up."
    );
    metrics::describe_gauge!(
        "ponder_guild_checks_pending_peak",
        "The most Discord servers ever queued or being checked at once."
    );
    metrics::describe_gauge!(
        "ponder_guild_checks_limit",
        "The most Discord servers that may be queued or being checked at once."
    );
    metrics::describe_counter!(
        "ponder_guild_checks_total",
        "Discord servers (GUILD_CREATE with a channel of Ponder's) checked."
    );
    Ok(HANDLE.get_or_init(|| handle).clone())
}

pub fn post(platform: &str, outcome: &'static str) {
    metrics::counter!("ponder_posts_total", "platform" => platform.to_string(), "outcome" => outcome).increment(1);
}

pub fn reply(platform: &str) {
    metrics::counter!("ponder_replies_total", "platform" => platform.to_string()).increment(1);
}

pub fn lateness(platform: &str, seconds: f64) {
    metrics::histogram!("ponder_schedule_lateness_seconds", "platform" => platform.to_string())
        .record(seconds.max(0.0));
}

pub fn connected(platform: &str, up: bool) {
    metrics::gauge!("ponder_platform_connected", "platform" => platform.to_string()).set(if up {
        1.0
    } else {
        0.0
    });
}

/// A platform's connection (a Discord shard): whether it is up, and the
/// guilds it holds.
pub fn shard(platform: &str, c: &crate::engine::port::Connection) {
    let labels = [
        ("platform", platform.to_string()),
        ("shard", c.shard.to_string()),
    ];
    metrics::gauge!("ponder_shard_connected", &labels).set(if c.up { 1.0 } else { 0.0 });
    metrics::gauge!("ponder_shard_guilds", &labels).set(c.guilds as f64);
    if let Some(ms) = c.latency_ms {
        metrics::gauge!("ponder_shard_latency_seconds", &labels).set(ms as f64 / 1000.0);
    }
}

/// The range of the bot's shards this process runs (`shards = "0-3 of 8"`).
pub fn shard_range(platform: &str, range: crate::config::ShardRange) {
    let labels = [
        ("platform", platform.to_string()),
        ("first", range.first.to_string()),
        ("last", range.last.to_string()),
        ("total", range.total.to_string()),
    ];
    metrics::gauge!("ponder_shard_range", &labels).set(1.0);
}

pub fn error(kind: &'static str) {
    metrics::counter!("ponder_errors_total", "kind" => kind).increment(1);
}

pub fn guild_checks_pending(now: usize, peak: usize) {
    metrics::gauge!("ponder_guild_checks_pending").set(now as f64);
    metrics::gauge!("ponder_guild_checks_pending_peak").set(peak as f64);
}

pub fn guild_checks_limit(limit: usize) {
    metrics::gauge!("ponder_guild_checks_limit").set(limit as f64);
}

pub fn guild_checks_done(guilds: usize) {
    metrics::counter!("ponder_guild_checks_total").increment(guilds as u64);
}
