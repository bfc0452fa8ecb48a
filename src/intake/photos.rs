//! Images citizens send on Zalo or Messenger. The platforms send an address, not the image: it
//! is kept with the message ([`crate::store::ChannelPhotoStore`]) until the sender's report is
//! filed (within the draft's lifetime before or after), then fetched — only from the hosts the
//! settings allow (the platforms' CDNs), without following redirects, with the upload size
//! limit — and attached as a report photo through the same checks as an upload.

use std::time::Duration;

use futures_util::StreamExt;

use super::Channels;
use crate::domain::{Medium, TicketId};
use crate::store::channel_photos::DuePhoto;

/// The image hosts of Zalo and Facebook Messenger (a host matches itself and its subdomains).
pub const PLATFORM_HOSTS: &[&str] = &["zadn.vn", "zdn.vn", "zalo.me", "fbcdn.net", "fbsbx.com"];
/// How long one image may take to fetch.
const FETCH_TIMEOUT: Duration = Duration::from_secs(15);
/// Images fetched per pass.
const BATCH: i64 = 20;

/// Whether `url` is http(s) on one of `hosts` (or a subdomain of one).
pub fn allowed(url: &str, hosts: &[String]) -> bool {
    let Ok(u) = url::Url::parse(url) else { return false };
    let Some(host) = u.host_str() else { return false };
    matches!(u.scheme(), "https" | "http")
        && u.username().is_empty()
        && hosts.iter().any(|h| host == h || host.strip_suffix(h.as_str()).is_some_and(|rest| rest.ends_with('.')))
}

impl Channels {
    /// Gives the sender's kept images to `ticket` and fetches them in the background.
    pub(super) async fn attach_pending_photos(&self, medium: Medium, sender: &str, ticket: TicketId) {
        let since = chrono::Utc::now() - chrono::Duration::from_std(self.settings.draft_ttl).unwrap_or_default();
        match self.store.assign_channel_photos(medium, sender, since, ticket).await {
            Ok(0) => {}
            Ok(_) => {
                let me = self.clone();
                tokio::spawn(async move { me.fetch_due_photos().await });
            }
            Err(e) => tracing::warn!(error = %e, "keeping a chat image for its report failed"),
        }
    }

    /// Fetches and attaches the images given to reports and not fetched yet; answers how many
    /// were attached. One that cannot be fetched or is not an image is marked failed, with why.
    pub async fn fetch_due_photos(&self) -> usize {
        let Some(photos) = self.photos.clone() else { return 0 };
        let client =
            match reqwest::Client::builder().timeout(FETCH_TIMEOUT).redirect(reqwest::redirect::Policy::none()).build()
            {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, "no HTTP client for chat images");
                    return 0;
                }
            };
        let mut attached = 0;
        loop {
            let due = match self.store.due_channel_photos(BATCH).await {
                Ok(d) if !d.is_empty() => d,
                Ok(_) => return attached,
                Err(e) => {
                    tracing::warn!(error = %e, "reading the chat images to fetch failed");
                    return attached;
                }
            };
            for p in due {
                let result = match self.fetch(&client, &p).await {
                    Ok(bytes) => photos
                        .add_channel_photo(p.ticket, &format!("channel:{}", p.medium), bytes)
                        .await
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                if result.is_ok() {
                    attached += 1;
                } else if let Err(e) = &result {
                    tracing::warn!(error = %e, ticket = %p.ticket, "a chat image was not attached");
                }
                if let Err(e) = self.store.finish_channel_photo(&p, result.err().as_deref()).await {
                    tracing::warn!(error = %e, "recording a chat image's fetch failed");
                    return attached;
                }
            }
        }
    }

    async fn fetch(&self, client: &reqwest::Client, p: &DuePhoto) -> Result<Vec<u8>, String> {
        if !allowed(&p.url, &self.settings.photo_hosts) {
            return Err("the image's host is not one the settings allow (--channel-photo-hosts)".into());
        }
        let r = client.get(&p.url).send().await.map_err(|e| format!("fetching the image: {e}"))?;
        if !r.status().is_success() {
            return Err(format!("the platform answered {}", r.status()));
        }
        let max = self.photo_max_bytes;
        if r.content_length().is_some_and(|n| n > max as u64) {
            return Err(format!("the image is larger than {max} bytes"));
        }
        let mut body = Vec::new();
        let mut stream = r.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| format!("reading the image: {e}"))?;
            if body.len() + chunk.len() > max {
                return Err(format!("the image is larger than {max} bytes"));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_allowed_hosts_and_their_subdomains_are_fetched() {
        let hosts: Vec<String> = PLATFORM_HOSTS.iter().map(|h| (*h).to_owned()).collect();
        assert!(allowed("https://s120-ava-talk.zadn.vn/a/photo.jpg", &hosts));
        assert!(allowed("https://scontent.xx.fbcdn.net/v/p.jpg?x=1", &hosts));
        assert!(allowed("https://fbcdn.net/p.jpg", &hosts));
        for bad in [
            "https://evilzadn.vn/p.jpg",
            "https://zadn.vn.evil.com/p.jpg",
            "http://127.0.0.1/p.jpg",
            "file:///etc/passwd",
            "https://user@zadn.vn/p.jpg",
            "not a url",
        ] {
            assert!(!allowed(bad, &hosts), "{bad}");
        }
        assert!(allowed("http://127.0.0.1:9/p.png", &["127.0.0.1".to_owned()]));
    }
}
