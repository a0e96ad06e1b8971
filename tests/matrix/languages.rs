//! A German Matrix room, end to end with a real Synapse: `!ponder language
//! de` switches the room, and `!ponder next` is answered in German.

use crate::bot::Bot;
use crate::homeserver::homeserver;
use crate::human::notice_from;
use crate::rooms::room_with_bot;

#[tokio::test(flavor = "multi_thread")]
async fn a_room_switched_to_german_answers_next_in_german() {
    let cast = homeserver().cast(27);
    let mut bot = Bot::start(&cast, "german", "");
    let (alice, _bob, room, _bob_room) = room_with_bot(&cast, false).await;
    let bot_id = cast.bot.user_id.as_str();
    alice.say(&room, "!ponder setup daily 09:00 UTC").await;
    alice
        .wait_for(&room, "the setup", notice_from(bot_id, "Set up:"))
        .await;
    alice.say(&room, "!ponder language de").await;
    alice
        .wait_for(
            &room,
            "the switch",
            notice_from(bot_id, "Ponder spricht hier jetzt Deutsch (`de`)."),
        )
        .await;
    alice.say(&room, "!ponder next").await;
    alice
        .wait_for(
            &room,
            "the answer",
            notice_from(bot_id, "Nächster Impuls: "),
        )
        .await;
    bot.stop();
}
