//! The tracking link in a citizen's first message and in the result.
//!
//! Chat, SMS and phone reporters never see the API's response, so their tracking token
//! ([`TrackingToken::derive`]) reaches them in the notification. It is not stored with the
//! notification: the worker derives it again just before delivery and adds it only if it
//! matches the ticket's stored hash, so a web reporter's own (random) token is never replaced
//! and a key changed since the ticket was filed yields no wrong link.

use std::borrow::Cow;

use super::Notifier;
use crate::domain::TrackingToken;
use crate::service::ServiceResult;
use crate::store::Notification;

/// Templates that carry the link: the first message, and the result (to rate it).
const WITH_LINK: &[&str] = &["created", "resolved"];

/// `n`, with the tracking line added to its texts when it should carry one.
pub async fn with_link<'a>(notifier: &Notifier, n: &'a Notification) -> ServiceResult<Cow<'a, Notification>> {
    let (Some(ticket), Some(code)) = (n.ticket_id, n.payload["code"].as_str()) else { return Ok(Cow::Borrowed(n)) };
    if !WITH_LINK.contains(&n.template.as_str()) {
        return Ok(Cow::Borrowed(n));
    }
    let token = TrackingToken::derive(notifier.settings.tracking_key.expose().as_bytes(), ticket);
    let stored = notifier.store.token_hash(ticket).await?;
    if !stored.is_some_and(|h| token.matches(&h)) {
        return Ok(Cow::Borrowed(n));
    }
    let (vi, en) = lines(notifier.public_base_url.as_deref(), code, &token.0);
    let mut n = n.clone();
    let p = &mut n.payload;
    let text_vi = format!("{} {vi}", p["text_vi"].as_str().unwrap_or(""));
    let text_en = format!("{} {en}", p["text_en"].as_str().unwrap_or(""));
    p["text"] = format!("{text_vi}\n\n{text_en}").into();
    p["text_vi"] = text_vi.into();
    p["text_en"] = text_en.into();
    Ok(Cow::Owned(n))
}

/// The line in Vietnamese and English: a link to the portal's tracking page when the public
/// URL is known (`--public-url`), else the token to type in beside the code.
fn lines(public_url: Option<&str>, code: &str, token: &str) -> (String, String) {
    match public_url {
        Some(base) => {
            let link = format!("{}/#track/{code}/{token}", base.trim_end_matches('/'));
            (format!("Theo dõi và đánh giá: {link}"), format!("Follow and rate it: {link}"))
        }
        None => (
            format!("Mã bí mật để tra cứu trên cổng 1022: {token}"),
            format!("Secret token to look it up on the 1022 portal: {token}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn the_link_opens_the_portals_tracking_page_and_without_a_public_url_the_token_is_given() {
        let (vi, en) = lines(Some("https://1022.danang.gov.vn/"), "DN-2611-000001", "tok_en");
        assert_eq!(vi, "Theo dõi và đánh giá: https://1022.danang.gov.vn/#track/DN-2611-000001/tok_en");
        assert!(en.ends_with("https://1022.danang.gov.vn/#track/DN-2611-000001/tok_en"));
        let (vi, _) = lines(None, "DN-1", "abc");
        assert!(vi.ends_with(": abc"), "{vi}");
    }
}
