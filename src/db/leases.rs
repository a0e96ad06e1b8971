//! Leases on unfinished posts: which process works on a pending or sent
//! post. A slot is claimed with a lease for the claiming process
//! (`posts.rs`, [`Db::claim_post`]); a process takes an unfinished post only
//! when its lease is free, expired or its own, renews its leases while it
//! runs and gives them up at a clean stop.

use super::sql::q;

use super::{Context, Db, DbResult, PostRow};

/// How long a lease on an unfinished post lasts (seconds). Its holder
/// renews it every [`LEASE_RENEW_SECS`] while it runs, so only a process that
/// died (or stalled that long) loses it.
pub const LEASE_SECS: i64 = 60;
/// How often a running process renews its leases.
pub const LEASE_RENEW_SECS: u64 = 20;

/// What [`Db::take_post`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// The post is unfinished and this process holds its lease now.
    Post(Box<PostRow>),
    /// Another live process holds the post until then (UTC seconds).
    HeldUntil(i64),
    /// Nothing to do: no such post, or it is no longer pending or sent.
    Finished,
}

impl Db {
    /// Takes an unfinished (pending or sent) post to work on it: only when
    /// its lease is free, expired or already this process's; the lease is
    /// then (re)written for this process until `now` + [`LEASE_SECS`]. A post
    /// another live process holds is left to it.
    ///
    /// A lease of another process *of this host* is taken at once when this
    /// handle holds the database's lock ([`super::lock`]): the kernel's
    /// lock lets one process of a host open the file, so that process is
    /// dead (killed, crashed), and waiting out its lease would only delay the
    /// prompt by up to a minute after every crash. Leases of other hosts
    /// (a shared disk the lock cannot see across) are waited out as before.
    pub async fn take_post(&self, id: i64, now: i64) -> DbResult<Taken> {
        let dead_here = self._lock.as_ref().map(|_| super::host_prefix());
        let taken: Option<PostRow> = q("UPDATE posts SET owner = ?1, lease_until = ?2
             WHERE id = ?3 AND state IN ('pending', 'sent')
               AND (owner IS NULL OR owner = ?1 OR lease_until IS NULL OR lease_until <= ?4
                    OR (?5 IS NOT NULL AND substr(owner, 1, length(?5)) = ?5))
             RETURNING *")
        .bind(&*self.owner)
        .bind(now + LEASE_SECS)
        .bind(id)
        .bind(now)
        .bind(dead_here)
        .fetch_optional(&self.pool)
        .await
        .ctx("taking a post")?;
        if let Some(post) = taken {
            return Ok(Taken::Post(Box::new(post)));
        }
        let held: Option<(Option<i64>,)> =
            q("SELECT lease_until FROM posts WHERE id = ? AND state IN ('pending', 'sent')")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .ctx("taking a post")?;
        Ok(match held {
            Some((Some(until),)) => Taken::HeldUntil(until),
            _ => Taken::Finished,
        })
    }

    /// Extends this process's leases on its unfinished posts (the heartbeat).
    pub async fn renew_leases(&self, now: i64) -> DbResult<()> {
        q("UPDATE posts SET lease_until = ? WHERE owner = ? AND state IN ('pending', 'sent')")
            .bind(now + LEASE_SECS)
            .bind(&*self.owner)
            .execute(&self.pool)
            .await
            .ctx("renewing leases")?;
        Ok(())
    }

    /// Gives up this process's leases (a clean stop), so the next process
    /// takes the unfinished posts at once.
    pub async fn release_leases(&self) -> DbResult<()> {
        q("UPDATE posts SET owner = NULL, lease_until = NULL
             WHERE owner = ? AND state IN ('pending', 'sent')")
        .bind(&*self.owner)
        .execute(&self.pool)
        .await
        .ctx("releasing leases")?;
        Ok(())
    }
}
