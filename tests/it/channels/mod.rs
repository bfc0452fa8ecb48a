//! Chat/SMS webhooks, the notifier and the abuse limits against the real server: signed and
//! forged calls for each adapter, replays, duplicates, drafts, delivery with retries to a
//! local HTTP endpoint and an SMTP sink, two instances on one PostGIS, 429s.

mod categorize;
mod limits;
mod notifier;
mod photos;
pub(crate) mod support;
mod webhooks;
