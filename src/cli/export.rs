//! `ponder export`: the archive of a database, read-only, narrowed by post,
//! channel and days.

use anyhow::Context as _;
use chrono::NaiveDate;

use crate::db::Db;
use crate::domain::command::ExportFormat;

/// What `export` was asked for.
#[derive(Debug, Clone)]
pub struct ExportArgs {
    pub db: crate::db::Store,
    /// `md`, `markdown`, `json` or `csv`.
    pub format: String,
    pub post: Option<i64>,
    /// A channel's platform id or its number in the database.
    pub channel: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The archive as text in the format asked for.
pub async fn export(args: ExportArgs) -> anyhow::Result<String> {
    let ExportArgs {
        db: db_path,
        format,
        post,
        channel,
        from,
        to,
    } = args;
    check_days(from, to)?;
    let format = ExportFormat::parse(&format).context("format")?;
    let db = Db::open_store_read_only(&db_path).await?;
    let channel_id = channel_id(&db, channel.as_deref()).await?;
    let filter = crate::export::days_filter(channel_id, post, from, to);
    let archive = crate::export::archive(&db, &filter).await?;
    if let Some(id) = post
        && archive.is_empty()
    {
        anyhow::ensure!(
            db.post(id).await?.is_some(),
            "there is no post #{id} in {}",
            db_path
        );
        anyhow::bail!("post #{id} is outside the --channel, --from or --to given");
    }
    crate::export::render(&archive, format)
}

/// `--from` after `--to` matches nothing: said, rather than an empty archive.
pub fn check_days(from: Option<NaiveDate>, to: Option<NaiveDate>) -> anyhow::Result<()> {
    if let (Some(from), Some(to)) = (from, to) {
        anyhow::ensure!(
            from <= to,
            "--from {from} is after --to {to}: no post can match; swap them"
        );
    }
    Ok(())
}

/// The database's number for `--channel`: a platform id or that number.
pub async fn channel_id(db: &Db, channel: Option<&str>) -> anyhow::Result<Option<i64>> {
    let Some(name) = channel else {
        return Ok(None);
    };
    let all = db.channels().await?;
    let found = all
        .iter()
        .find(|c| c.external_id == name || c.id.to_string() == name);
    Ok(Some(
        found
            .with_context(|| format!("no channel `{name}` in this database"))?
            .id,
    ))
}
