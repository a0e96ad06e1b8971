//! `/ponder archive`: the channel's archive as an HTML page, attached to the
//! admin's ephemeral answer, or posted in the channel with `public:True`.

use super::Error;
use super::slash::{Ctx, run};
use crate::domain::command::{ArchiveNames, Command};

#[derive(Debug, poise::ChoiceParameter)]
pub(super) enum Names {
    #[name = "shown"]
    Shown,
    #[name = "initials"]
    Initials,
    #[name = "hidden"]
    Hidden,
}

/// Days written as `YYYY-MM-DD`; `None` (after telling the caller how to
/// write them) when one is not.
pub(super) async fn days(
    ctx: Ctx<'_>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Option<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)>, Error> {
    let day = |d: Option<String>| {
        d.map(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d"))
            .transpose()
    };
    if let (Ok(from), Ok(to)) = (day(from), day(to)) {
        return Ok(Some((from, to)));
    }
    let text = crate::tr!(super::slash::lang(ctx).await, "days-format");
    let reply = poise::CreateReply::default().content(text).ephemeral(true);
    ctx.send(reply).await?;
    Ok(None)
}

/// This channel's archive as a page to read in a browser.
#[poise::command(slash_command)]
pub(super) async fn archive(
    ctx: Ctx<'_>,
    #[description = "From this day on, YYYY-MM-DD (UTC)"] from: Option<String>,
    #[description = "Up to this day, YYYY-MM-DD (UTC)"] to: Option<String>,
    #[description = "Authors' names: shown (default), initials or hidden"] names: Option<Names>,
    #[description = "Post the file in the channel for everyone (default: only you get it)"]
    public: Option<bool>,
) -> Result<(), Error> {
    let Some((from, to)) = days(ctx, from, to).await? else {
        return Ok(());
    };
    let names = match names {
        Some(Names::Initials) => ArchiveNames::Initials,
        Some(Names::Hidden) => ArchiveNames::Hidden,
        _ => ArchiveNames::Shown,
    };
    run(
        ctx,
        Command::Archive {
            from,
            to,
            names,
            public: public.unwrap_or(false),
        },
    )
    .await
}
