//! `/ponder prompts list|show|disable|enable|import|remove-pack|export-pack|draft`
//! and `/ponder packs use`: the prompts a channel draws from, and a
//! community's own packs. A pack or a text comes
//! as an ATTACHMENT option; Ponder refuses it by the size Discord declares
//! before fetching it, then fetches it from Discord's CDN. A file that
//! cannot be used is the member's to fix: the caller is told why, and the
//! log stays quiet.

use std::time::Duration;

use poise::serenity_prelude as serenity;

use super::Error;
use super::quiet::run_parsed;
use super::slash::{Ctx, prompt_ids, run};
use crate::domain::command::{
    Attached, Command, FileKind, FileProblem, MAX_UPLOAD_BYTES, PREFIX, parse,
};
use crate::prompt_files::draft::MAX_DRAFT_INPUT;

/// How long fetching an attachment may take.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(30);

/// The prompts this channel draws from, and this server's own packs.
#[poise::command(
    slash_command,
    subcommands(
        "prompts_list",
        "prompt_show",
        "prompt_disable",
        "prompt_enable",
        "pack_import",
        "pack_remove",
        "pack_export",
        "pack_draft"
    ),
    subcommand_required
)]
pub(super) async fn prompts(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

/// The packs drawn from here, or one pack's prompts, with what this cycle posted.
#[poise::command(slash_command, rename = "list")]
async fn prompts_list(
    ctx: Ctx<'_>,
    #[description = "A pack's id, to list its prompts"] pack: Option<String>,
) -> Result<(), Error> {
    run(ctx, Command::Prompts { pack }).await
}

/// One prompt: its pack, text, source, and whether it is disabled here.
#[poise::command(slash_command, rename = "show")]
async fn prompt_show(
    ctx: Ctx<'_>,
    #[description = "The prompt's id"]
    #[autocomplete = "prompt_ids"]
    id: String,
) -> Result<(), Error> {
    run(ctx, Command::PromptShow { id }).await
}

/// Never draw this prompt in this server's channels.
#[poise::command(slash_command, rename = "disable")]
async fn prompt_disable(
    ctx: Ctx<'_>,
    #[description = "The prompt's id"]
    #[autocomplete = "prompt_ids"]
    id: String,
) -> Result<(), Error> {
    let enable = false;
    run(ctx, Command::PromptEnable { id, enable }).await
}

/// Draw a disabled prompt again.
#[poise::command(slash_command, rename = "enable")]
async fn prompt_enable(
    ctx: Ctx<'_>,
    #[description = "The prompt's id"]
    #[autocomplete = "prompt_ids"]
    id: String,
) -> Result<(), Error> {
    let enable = true;
    run(ctx, Command::PromptEnable { id, enable }).await
}

/// Import a pack of this server's own from a .toml file (checked whole first).
#[poise::command(slash_command, rename = "import")]
async fn pack_import(
    ctx: Ctx<'_>,
    #[description = "The pack, a .toml file as `ponder check` reads it (at most 256 KB)"]
    file: serenity::Attachment,
) -> Result<(), Error> {
    let file = fetch(ctx, &file, MAX_UPLOAD_BYTES, FileKind::Pack).await?;
    run(ctx, Command::PackImport { file }).await
}

/// Remove one of this server's own packs.
#[poise::command(slash_command, rename = "remove-pack")]
async fn pack_remove(
    ctx: Ctx<'_>,
    #[description = "The pack's id"] pack: String,
) -> Result<(), Error> {
    run(ctx, Command::PackRemove { pack }).await
}

/// One of this server's own packs, back as its .toml file.
#[poise::command(slash_command, rename = "export-pack")]
async fn pack_export(
    ctx: Ctx<'_>,
    #[description = "The pack's id"] pack: String,
) -> Result<(), Error> {
    run(ctx, Command::PackExport { pack }).await
}

/// Draft a pack from a text (plain text or Markdown); answered as a .toml file.
#[poise::command(slash_command, rename = "draft")]
async fn pack_draft(
    ctx: Ctx<'_>,
    #[description = "The text to draft from, plain text or Markdown (at most 1 MB)"]
    file: serenity::Attachment,
    #[description = "The new pack's id, like `our-essay`"] pack: String,
    #[description = "The pack's title (default: from the text)"]
    #[max_length = 200]
    title: Option<String>,
) -> Result<(), Error> {
    let file = fetch(ctx, &file, MAX_DRAFT_INPUT, FileKind::DraftText).await?;
    run(ctx, Command::PackDraft { file, pack, title }).await
}

/// The packs this channel draws from.
#[poise::command(slash_command, subcommands("packs_use"), subcommand_required)]
pub(super) async fn packs(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

/// Draw from these packs only, or from every pack with `all`.
#[poise::command(slash_command, rename = "use")]
async fn packs_use(
    ctx: Ctx<'_>,
    #[description = "Pack ids, comma-separated, like `essay-visibility,our-own`; or `all`"]
    #[max_length = 1000]
    packs: String,
) -> Result<(), Error> {
    let cmd = parse(&format!("{PREFIX} packs use {packs}")).map(|c| c.unwrap_or(Command::Help));
    run_parsed(ctx, None, cmd).await
}

/// The attachment's bytes, or why Ponder cannot use it: refused by the size
/// Discord declares (over `limit`) without fetching it. Answers within
/// Discord's three seconds first, as the fetch may take longer.
async fn fetch(
    ctx: Ctx<'_>,
    file: &serenity::Attachment,
    limit: usize,
    kind: FileKind,
) -> Result<Attached, Error> {
    let name: String = file
        .filename
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let size = file.size as usize;
    if size > limit {
        return Ok(Attached::Unusable(too_large(
            name,
            size as u64,
            limit,
            kind,
        )));
    }
    ctx.defer_ephemeral().await?;
    let fetched = tokio::time::timeout(DOWNLOAD_TIMEOUT, file.download()).await;
    Ok(match fetched {
        // serenity does not look at the status: a body of another length is
        // an error page, not the file.
        Ok(Ok(bytes)) if bytes.len() == size => Attached::File { name, bytes },
        Ok(Ok(bytes)) if bytes.len() > limit => {
            Attached::Unusable(too_large(name, bytes.len() as u64, limit, kind))
        }
        failed => {
            let why = match failed {
                Ok(Ok(bytes)) => format!("{} bytes instead of {size}", bytes.len()),
                Ok(Err(e)) => e.to_string(),
                Err(_) => format!("no answer within {}s", DOWNLOAD_TIMEOUT.as_secs()),
            };
            // Discord's CDN, not Ponder nor the member: worth a line, not an alarm.
            tracing::info!(file = %name, error = %why, "fetching an attachment failed");
            Attached::Unusable(FileProblem::NotFetched { name })
        }
    })
}

fn too_large(name: String, size: u64, limit: usize, kind: FileKind) -> FileProblem {
    FileProblem::TooLarge {
        name,
        size,
        limit,
        kind: Some(kind),
    }
}
