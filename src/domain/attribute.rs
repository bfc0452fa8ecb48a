//! The extra questions a category asks (Open311's service-definition attributes, e.g. the
//! volume of dumped construction waste) and the answers a report gives to them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::w3c::{self, DayEdge};
use super::{ValidationErrors, code};

/// The kind of input an attribute takes (Open311 `datatype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Datatype {
    /// One line of text.
    String,
    Number,
    /// A W3C date-time.
    Datetime,
    /// Text that may span lines.
    Text,
    /// One of `values`.
    Singlevaluelist,
    /// Any non-empty set of `values`.
    Multivaluelist,
}

impl Datatype {
    pub fn is_list(self) -> bool {
        matches!(self, Datatype::Singlevaluelist | Datatype::Multivaluelist)
    }
}

/// One choice of a list attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeValue {
    /// What a client sends, e.g. `night`.
    pub key: String,
    /// Vietnamese label.
    pub name: String,
    /// English label.
    pub name_en: String,
}

/// One extra question of a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceAttribute {
    /// Unique within the category; a client sends the answer as `attribute[code]`.
    pub code: String,
    pub datatype: Datatype,
    pub required: bool,
    /// Position in the form, from 1.
    pub order: u32,
    /// The question in Vietnamese.
    pub description: String,
    /// The question in English.
    pub description_en: String,
    /// The choices of a list attribute (empty for the others).
    #[serde(default)]
    pub values: Vec<AttributeValue>,
}

/// Longest answer to a `string` attribute, in characters.
pub const MAX_STRING_CHARS: usize = 500;
/// Longest answer to a `text` attribute, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Longest `media_url`, in bytes.
pub const MAX_MEDIA_URL: usize = 2048;

/// Checks a category's attribute definitions: codes valid and unique, orders from 1 and
/// unique, list attributes with choices (unique keys), other attributes without. Errors are
/// named `{prefix}attributes[i]…`.
pub fn check_definitions(attrs: &[ServiceAttribute], prefix: &str) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::new();
    for (i, a) in attrs.iter().enumerate() {
        let field = format!("{prefix}attributes[{i}]");
        errs.take(code::check(&a.code, &format!("{field}.code")));
        if attrs[..i].iter().any(|b| b.code == a.code) {
            errs.push(format!("{field}.code"), format!("{} is used twice", a.code));
        }
        if a.order == 0 || attrs[..i].iter().any(|b| b.order == a.order) {
            errs.push(format!("{field}.order"), "orders start at 1 and differ");
        }
        if a.description.trim().is_empty() || a.description_en.trim().is_empty() {
            errs.push(format!("{field}.description"), "the question is needed in Vietnamese and English");
        }
        match (a.datatype.is_list(), a.values.is_empty()) {
            (true, true) => errs.push(format!("{field}.values"), "a list attribute needs values"),
            (false, false) => errs.push(format!("{field}.values"), "only list attributes have values"),
            _ => {}
        }
        for (j, v) in a.values.iter().enumerate() {
            if v.key.trim().is_empty() || a.values[..j].iter().any(|w| w.key == v.key) {
                errs.push(format!("{field}.values[{j}].key"), "keys are non-empty and differ");
            }
        }
    }
    errs.into_result()
}

/// An answer as stored with the ticket: text (also a date-time, normalised to UTC RFC 3339,
/// and a single choice's key), a number, or the keys of several choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum Answer {
    Number(f64),
    Text(String),
    List(Vec<String>),
}

/// The answers of one report, by attribute code.
pub type Answers = BTreeMap<String, Answer>;

/// What a report carries besides its public ticket fields: a link to a photo or video and the
/// answers to its category's questions. Public data: no personal data goes here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketExtras {
    /// An `http(s)` URL of a photo or video of the problem.
    pub media_url: Option<String>,
    #[schema(value_type = Object)]
    pub attributes: Answers,
}

impl TicketExtras {
    pub fn is_empty(&self) -> bool {
        self.media_url.is_none() && self.attributes.is_empty()
    }
}

/// Validates the submitted answers (`attribute[code]` → the values sent for it) against
/// `attrs`: every required attribute answered, no unknown attribute, each answer of its
/// datatype. Errors name the parameter, e.g. `attribute[volume_m3]`.
pub fn answer(
    attrs: &[ServiceAttribute],
    submitted: &BTreeMap<String, Vec<String>>,
) -> Result<Answers, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    for code in submitted.keys() {
        if !attrs.iter().any(|a| &a.code == code) {
            errs.push(format!("attribute[{code}]"), "is not a question of this service");
        }
    }
    let mut out = Answers::new();
    for a in attrs {
        let field = format!("attribute[{}]", a.code);
        let given: Vec<&str> = submitted
            .get(&a.code)
            .map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        if given.is_empty() {
            if a.required {
                errs.push(field, format!("is required: {} ({})", a.description, a.description_en));
            }
            continue;
        }
        if given.len() > 1 && a.datatype != Datatype::Multivaluelist {
            errs.push(field, "takes one value");
            continue;
        }
        if let Some(v) = errs.take(one(a, &given, &field)) {
            out.insert(a.code.clone(), v);
        }
    }
    errs.into_result().map(|_| out)
}

fn one(a: &ServiceAttribute, given: &[&str], field: &str) -> Result<Answer, ValidationErrors> {
    let bad = |m: String| ValidationErrors::single(field, m);
    let text = given[0];
    let keys = || a.values.iter().map(|v| v.key.as_str()).collect::<Vec<_>>().join(", ");
    match a.datatype {
        Datatype::String | Datatype::Text => {
            let (max, lines) =
                if a.datatype == Datatype::Text { (MAX_TEXT_CHARS, true) } else { (MAX_STRING_CHARS, false) };
            if text.chars().count() > max {
                return Err(bad(format!("must be at most {max} characters")));
            }
            let ok = |c: char| !c.is_control() || (lines && matches!(c, '\n' | '\r' | '\t'));
            if !text.chars().all(ok) {
                return Err(bad(if lines { "must not contain control characters" } else { "must be one line" }.into()));
            }
            Ok(Answer::Text(text.to_owned()))
        }
        Datatype::Number => {
            // Vietnamese writes a decimal comma: "2,5" is 2.5.
            let n = if text.contains('.') { text.to_owned() } else { text.replacen(',', ".", 1) };
            match n.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Answer::Number(x)),
                _ => Err(bad("must be a number".into())),
            }
        }
        Datatype::Datetime => w3c::parse(text, DayEdge::Start)
            .map(|t| Answer::Text(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
            .ok_or_else(|| bad("must be a W3C date-time such as 2026-11-05T22:30:00+07:00".into())),
        Datatype::Singlevaluelist | Datatype::Multivaluelist => {
            let mut keys_given: Vec<String> = Vec::new();
            for k in given {
                if !a.values.iter().any(|v| v.key == *k) {
                    return Err(bad(format!("{k:?} is not one of {}", keys())));
                }
                if !keys_given.iter().any(|g| g == k) {
                    keys_given.push((*k).to_owned());
                }
            }
            Ok(match a.datatype {
                Datatype::Singlevaluelist => Answer::Text(keys_given.remove(0)),
                _ => Answer::List(keys_given),
            })
        }
    }
}

/// Checks a `media_url`: an absolute `http` or `https` URL of at most [`MAX_MEDIA_URL`] bytes,
/// with a host and no spaces or control characters.
pub fn parse_media_url(raw: &str, field: &str) -> Result<Option<String>, ValidationErrors> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    let ok = s.len() <= MAX_MEDIA_URL
        && host.is_some_and(|h| !h.is_empty())
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(Some(s.to_owned()))
    } else {
        Err(ValidationErrors::single(
            field,
            format!("must be an http(s) URL of at most {MAX_MEDIA_URL} characters, without spaces"),
        ))
    }
}

#[cfg(test)]
mod tests;
