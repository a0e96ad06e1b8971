//! `now`: a prompt posted right away, outside the schedule, in the
//! channel's language or a given one.

use rand::Rng;

use super::Engine;
use super::posting::PostError;
use crate::db::{NewPost, PostRow};

impl Engine {
    /// Posts a prompt right away in a channel (`now`): a given prompt or the
    /// next of the rotation. Returns the post as recorded.
    pub async fn post_now(
        &self,
        platform: &str,
        channel: &str,
        prompt: Option<&str>,
    ) -> Result<PostRow, PostError> {
        self.post_now_with(platform, channel, prompt, None).await
    }

    /// [`Self::post_now`] with the prompt in `lang` (where a translation
    /// has it) whatever the channel's language.
    pub async fn post_now_in(
        &self,
        platform: &str,
        channel: &str,
        prompt: Option<&str>,
        lang: &str,
    ) -> Result<PostRow, PostError> {
        self.post_now_with(platform, channel, prompt, Some(lang))
            .await
    }

    async fn post_now_with(
        &self,
        platform: &str,
        channel: &str,
        prompt: Option<&str>,
        lang: Option<&str>,
    ) -> Result<PostRow, PostError> {
        if self.chat(platform).is_none() {
            return Err(PostError::NoPlatform(platform.to_string()));
        }
        let now = self.clock.now();
        let channel = self
            .db
            .ensure_channel(
                platform,
                channel,
                &self.settings.default_timezone,
                now.timestamp(),
            )
            .await
            .map_err(anyhow::Error::from)?;
        let lang = lang.unwrap_or_else(|| self.lang_of(&channel).code());
        let pool = self.pool_in(&channel, lang).await?;
        // asked for by name: from the pool, else any prompt of the community,
        // even one its channel does not draw from or it disabled (never
        // drawn, still postable)
        let wanted = match prompt {
            Some(id) => {
                let in_pool = pool.iter().find(|p| p.id == id || p.qualified_id() == id);
                let found = match in_pool {
                    Some(p) => Some(p.clone()),
                    None => self.community_prompt_in(&channel, id, lang).await?,
                };
                Some(found.ok_or_else(|| PostError::UnknownPrompt(id.to_string()))?)
            }
            None => None,
        };
        let key = format!("pd-n{:016x}", self.rng.lock().unwrap().random::<u64>());
        let new = NewPost {
            channel_id: channel.id,
            platform: platform.to_string(),
            schedule_id: None,
            slot_at: None,
            idempotency_key: key,
            now: now.timestamp(),
        };
        let post = self
            .claim(&new, wanted, &pool)
            .await?
            .ok_or(PostError::EmptyPool)?;
        self.deliver_or_retry(post.clone(), None, false).await?;
        Ok(self
            .db
            .post(post.id)
            .await
            .map_err(anyhow::Error::from)?
            .unwrap_or(post))
    }
}
