//! Adapters: each platform's payload turned into [`Parsed`] messages. They run only after the
//! signature has been checked. A payload of the wrong shape is a validation error naming the
//! field; events that are not a citizen's message (follows, read receipts, the page's own
//! echoes, stickers) are counted as ignored.

use serde::Deserialize;
use serde_json::Value;

use crate::domain::{Location, ValidationErrors};

/// One citizen's message, as the platform sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub message_id: String,
    /// Phone number (SMS) or the platform's user id (chat): personal data.
    pub sender: String,
    pub text: Option<String>,
    /// A location the platform attached (a shared location pin).
    pub location: Option<Location>,
    /// The platform's own time of the event (ms since the epoch), inside the signed body.
    pub sent_at_ms: Option<i64>,
    /// Images the citizen sent, as the platform's addresses (at most [`MAX_PHOTOS`]); fetched
    /// once their report is filed, from the hosts the settings allow.
    pub photos: Vec<String>,
}

/// Most images taken from one message.
pub const MAX_PHOTOS: usize = 5;

/// An image attachment's address: http(s), at most 2 000 characters, nothing invisible.
fn image_url(v: Option<&Value>, field: &str, errs: &mut ValidationErrors) -> Option<String> {
    let u = v.and_then(Value::as_str).map(str::trim).unwrap_or_default();
    let scheme_ok = u.starts_with("https://") || u.starts_with("http://");
    if !scheme_ok || u.len() > 2000 || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errs.push(field, "an image needs its http(s) address (at most 2000 characters)");
        return None;
    }
    Some(u.to_owned())
}

/// What a payload held.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Batch {
    pub messages: Vec<Parsed>,
    /// Events that are not a citizen's message.
    pub ignored: usize,
}

fn text_of(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// A number sent as a JSON number or a string (Zalo sends both).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn id_text(v: &Value, field: &str, errs: &mut ValidationErrors) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    if s.is_empty() || s.len() > 200 || s.chars().any(char::is_control) {
        errs.push(field, "must be a non-empty id of at most 200 characters");
        return None;
    }
    Some(s)
}

fn point(lon: Option<&Value>, lat: Option<&Value>, field: &str, errs: &mut ValidationErrors) -> Option<Location> {
    let (lon, lat) = (lon.and_then(number), lat.and_then(number));
    match (lon, lat) {
        (Some(lon), Some(lat)) => errs.take(Location::parse(lon, lat, &format!("{field}."))),
        _ => {
            errs.push(field, "a location needs numeric coordinates");
            None
        }
    }
}

/// Zalo OA: one event per call. `user_send_text`, `user_send_location` (with
/// `message.attachments[].payload.coordinates.{latitude,longitude}`) and `user_send_image` (with
/// `message.attachments[].payload.url`, and the caption as `message.text`) are messages; other
/// events are ignored.
pub fn zalo(body: &Value) -> Result<Batch, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let event = body.get("event_name").and_then(Value::as_str).unwrap_or_default();
    if !matches!(event, "user_send_text" | "user_send_location" | "user_send_image") {
        if event.is_empty() {
            return Err(ValidationErrors::single("event_name", "is required"));
        }
        return Ok(Batch { messages: Vec::new(), ignored: 1 });
    }
    let sender = id_text(body.pointer("/sender/id").unwrap_or(&Value::Null), "sender.id", &mut errs);
    let message_id = id_text(body.pointer("/message/msg_id").unwrap_or(&Value::Null), "message.msg_id", &mut errs);
    let text = text_of(body.pointer("/message/text").and_then(Value::as_str));
    let mut location = None;
    let mut photos = Vec::new();
    if let Some(atts) = body.pointer("/message/attachments").and_then(Value::as_array) {
        for (i, a) in atts.iter().enumerate() {
            match a.get("type").and_then(Value::as_str) {
                Some("location") => {
                    let c = a.pointer("/payload/coordinates");
                    let field = format!("message.attachments[{i}].payload.coordinates");
                    location =
                        point(c.and_then(|c| c.get("longitude")), c.and_then(|c| c.get("latitude")), &field, &mut errs);
                }
                Some("image") if photos.len() < MAX_PHOTOS => {
                    let field = format!("message.attachments[{i}].payload.url");
                    photos.extend(image_url(a.pointer("/payload/url"), &field, &mut errs));
                }
                _ => {}
            }
        }
    }
    if event == "user_send_image" && photos.is_empty() && errs.is_empty() {
        errs.push("message.attachments", "a user_send_image event needs an image attachment");
    }
    if event == "user_send_location" && location.is_none() && errs.is_empty() {
        errs.push("message.attachments", "a user_send_location event needs a location attachment");
    }
    let sent_at_ms = body.get("timestamp").and_then(number).map(|t| t as i64);
    if sent_at_ms.is_none() {
        errs.push("timestamp", "must be the event time in milliseconds");
    }
    errs.into_result()?;
    let (Some(sender), Some(message_id)) = (sender, message_id) else { unreachable!("validated") };
    Ok(Batch { messages: vec![Parsed { message_id, sender, text, location, sent_at_ms, photos }], ignored: 0 })
}

/// Messenger: `{"object":"page","entry":[{"time":…,"messaging":[{"sender":{"id"},
/// "timestamp":…,"message":{"mid","text","attachments":[{"type":"location","payload":
/// {"coordinates":{"lat","long"}}}]}}]}]}`. Echoes of the page's own messages, delivery and
/// read receipts are ignored.
pub fn messenger(body: &Value) -> Result<Batch, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    if body.get("object").and_then(Value::as_str) != Some("page") {
        return Err(ValidationErrors::single("object", "must be \"page\""));
    }
    let Some(entries) = body.get("entry").and_then(Value::as_array) else {
        return Err(ValidationErrors::single("entry", "must be an array"));
    };
    let mut batch = Batch::default();
    for (i, entry) in entries.iter().enumerate() {
        let entry_time = entry.get("time").and_then(number).map(|t| t as i64);
        for (j, m) in
            entry.get("messaging").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default().iter().enumerate()
        {
            let at = format!("entry[{i}].messaging[{j}]");
            let Some(message) = m.get("message") else {
                batch.ignored += 1;
                continue;
            };
            if message.get("is_echo").and_then(Value::as_bool) == Some(true) {
                batch.ignored += 1;
                continue;
            }
            let sender =
                id_text(m.pointer("/sender/id").unwrap_or(&Value::Null), &format!("{at}.sender.id"), &mut errs);
            let mid = id_text(message.get("mid").unwrap_or(&Value::Null), &format!("{at}.message.mid"), &mut errs);
            let text = text_of(message.get("text").and_then(Value::as_str));
            let mut location = None;
            let mut photos = Vec::new();
            for (k, a) in message
                .get("attachments")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                match a.get("type").and_then(Value::as_str) {
                    Some("location") => {
                        let c = a.pointer("/payload/coordinates");
                        let field = format!("{at}.message.attachments[{k}].payload.coordinates");
                        location =
                            point(c.and_then(|c| c.get("long")), c.and_then(|c| c.get("lat")), &field, &mut errs);
                    }
                    Some("image") if photos.len() < MAX_PHOTOS => {
                        let field = format!("{at}.message.attachments[{k}].payload.url");
                        photos.extend(image_url(a.pointer("/payload/url"), &field, &mut errs));
                    }
                    _ => {}
                }
            }
            let sent_at_ms = m.get("timestamp").and_then(number).map(|t| t as i64).or(entry_time);
            if sent_at_ms.is_none() {
                errs.push(format!("{at}.timestamp"), "must be the message time in milliseconds");
            }
            if let (Some(sender), Some(message_id)) = (sender, mid) {
                batch.messages.push(Parsed { message_id, sender, text, location, sent_at_ms, photos });
            }
        }
    }
    errs.into_result()?;
    Ok(batch)
}

/// An SMS gateway's message, as a form (`application/x-www-form-urlencoded`) or JSON.
#[derive(Debug, Deserialize)]
struct Sms {
    /// The sender's number.
    from: Option<String>,
    text: Option<String>,
    #[serde(alias = "message_id")]
    id: Option<String>,
}

/// An SMS: `from`, `text` and `id` (or `message_id`). The location is read from the text by
/// the caller (`lat,lon` or a place name). The sender must look like a phone number.
pub fn sms(body: &[u8], form: bool) -> Result<Batch, ValidationErrors> {
    let sms: Sms = if form {
        serde_urlencoded::from_bytes(body)
            .map_err(|e| ValidationErrors::single("body", format!("malformed form: {e}")))?
    } else {
        serde_json::from_slice(body).map_err(|e| ValidationErrors::single("body", format!("malformed JSON: {e}")))?
    };
    let mut errs = ValidationErrors::new();
    let from = sms.from.as_deref().map(str::trim).unwrap_or_default();
    let digits = from.chars().filter(char::is_ascii_digit).count();
    if !(6..=15).contains(&digits) || !from.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
        errs.push("from", "must be the sender's phone number (6 to 15 digits)");
    }
    let id = id_text(&sms.id.map(Value::String).unwrap_or(Value::Null), "id", &mut errs);
    errs.into_result()?;
    let message = Parsed {
        message_id: id.expect("validated"),
        sender: from.to_owned(),
        text: text_of(sms.text.as_deref()),
        location: None,
        sent_at_ms: None,
        photos: Vec::new(),
    };
    Ok(Batch { messages: vec![message], ignored: 0 })
}

#[cfg(test)]
mod tests;
