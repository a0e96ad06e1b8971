//! `/ponder quiet …` through the real serenity/poise stack: options read by
//! the shared grammar, answers private, bad dates refused saying why.

use discord_emulator::EmulatorConfig;
use serde_json::json;

use crate::harness::World;

#[tokio::test(flavor = "multi_thread")]
async fn quiet_days_are_added_listed_and_removed_with_slash_subcommands() {
    let mut w = World::start("quiet", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let ch = g.text_channel;

    let added = w
        .admin(
            ch,
            "quiet add",
            json!({"from": "2099-12-24", "to": "2099-12-26", "reason": "holidays"}),
        )
        .await;
    assert!(
        added.starts_with("Quiet #1 added: 2099-12-24..2099-12-26 (holidays), days in UTC."),
        "{added}"
    );
    let one = w
        .admin(ch, "quiet add", json!({"from": "2099-12-31"}))
        .await;
    assert!(
        one.starts_with("Quiet #2 added: 2099-12-31, days in UTC."),
        "{one}"
    );
    let weekly = w
        .admin(ch, "quiet weekly", json!({"days": "sat,sun"}))
        .await;
    assert!(weekly.starts_with("Quiet #3: weekly sat,sun"), "{weekly}");

    // Bad dates: said once, privately, and nothing is stored.
    let backwards = w
        .admin(
            ch,
            "quiet add",
            json!({"from": "2099-12-26", "to": "2099-12-24"}),
        )
        .await;
    assert!(
        backwards.contains("2099-12-26 comes after 2099-12-24"),
        "{backwards}"
    );
    let not_a_date = w.admin(ch, "quiet add", json!({"from": "christmas"})).await;
    assert!(
        not_a_date.contains("`christmas` is not a date"),
        "{not_a_date}"
    );
    let too_long = w
        .admin(
            ch,
            "quiet add",
            json!({"from": "2099-01-01", "to": "2100-06-01"}),
        )
        .await;
    assert!(too_long.contains("at most a year"), "{too_long}");

    assert_eq!(
        w.admin(ch, "quiet list", json!({})).await,
        "Quiet days here (days in UTC):\n\
         #1 2099-12-24..2099-12-26: holidays\n\
         #2 2099-12-31\n\
         #3 weekly sat,sun"
    );
    let removed = w.admin(ch, "quiet remove", json!({"id": 2})).await;
    assert!(
        removed.starts_with("Quiet #2 (2099-12-31) removed."),
        "{removed}"
    );
    let off = w.admin(ch, "quiet weekly", json!({"days": "off"})).await;
    assert!(off.starts_with("Weekly quiet days removed."), "{off}");
    assert_eq!(
        w.admin(ch, "quiet list", json!({})).await,
        "Quiet days here (days in UTC):\n#1 2099-12-24..2099-12-26: holidays"
    );

    let refused = w.slash(g.member, ch, "ponder quiet list", json!({})).await;
    assert!(refused.text.starts_with("Only admins"), "{refused:?}");
    assert!(refused.ephemeral);
    w.bot.stop();
}

/// A refusal for a channel named with `channel:` speaks that channel's
/// language, as the command's success does, not the language of the
/// channel it was typed in.
#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_for_a_named_channel_speaks_that_channel_s_language() {
    let mut w = World::start("quiet-target", EmulatorConfig::default()).await;
    let g = w.guild.clone();
    let forum = g.forum_channel.to_string();
    let set = w
        .admin(
            g.text_channel,
            "language",
            json!({"code": "de", "channel": forum}),
        )
        .await;
    assert!(!set.is_empty(), "{set}");
    let refused = w
        .admin(
            g.text_channel,
            "quiet add",
            json!({"from": "christmas", "channel": forum}),
        )
        .await;
    assert!(
        refused.starts_with("`christmas` ist kein Datum"),
        "{refused}"
    );
    let here = w
        .admin(g.text_channel, "quiet add", json!({"from": "christmas"}))
        .await;
    assert!(here.starts_with("`christmas` is not a date"), "{here}");
    w.bot.stop();
}
