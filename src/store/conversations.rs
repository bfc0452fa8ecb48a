//! [`ConversationStore`]: the chatbot's conversations and their turns, one open conversation per
//! sender and channel (personal data: never in events).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::codec::{enum_str, parse_enum};
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::conversation::{ChatChannel, Conversation, ConversationState, Speaker, Turn};

#[async_trait]
pub trait ConversationStore: Send + Sync {
    /// The sender's open conversation on `channel`, or a new one (in the chatbot's hands) when
    /// there is none or the open one was last used before `idle_since` (it is closed then).
    /// Two messages of one sender at once get the same conversation. `secret_hash` is kept
    /// with a new conversation only.
    async fn open_conversation(
        &self,
        channel: ChatChannel,
        sender: &str,
        secret_hash: Option<&[u8]>,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> StoreResult<Conversation>;
    /// A conversation, open or closed.
    async fn conversation(&self, id: Uuid) -> StoreResult<Option<Conversation>>;
    /// The hash of a portal conversation's secret, if it has one and is open.
    async fn conversation_secret(&self, id: Uuid) -> StoreResult<Option<Vec<u8>>>;
    /// Appends a turn (numbered after the last) and returns it. [`StoreError::NotFound`] for a
    /// closed or unknown conversation; [`StoreError::AlreadyExists`] when the conversation
    /// already holds the platform's `message_id` (a redelivery), which adds nothing.
    async fn add_turn(
        &self,
        id: Uuid,
        speaker: Speaker,
        text: &str,
        operator: Option<&str>,
        message_id: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<Turn>;
    /// The turns after turn `after`, in order.
    async fn turns(&self, id: Uuid, after: i64) -> StoreResult<Vec<Turn>>;
    /// Moves an open conversation from one of `from` to `to` (with the operator and the reason
    /// given, kept otherwise). `Ok(None)` when it is not (or no longer) in one of `from`.
    async fn move_conversation(
        &self,
        id: Uuid,
        from: &[ConversationState],
        to: ConversationState,
        operator: Option<&str>,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Conversation>>;
    /// Marks turn `n` as a message the chatbot left to the intake as a report.
    async fn mark_report(&self, id: Uuid, n: i64) -> StoreResult<()>;
    /// Whether the citizen's message `message_id` of a conversation was left to the intake as a
    /// report (`None`: no such message).
    async fn message_was_report(&self, id: Uuid, message_id: &str) -> StoreResult<Option<bool>>;
    /// Keeps (or, with `None`, drops) the text of a report the citizen began.
    async fn set_draft(&self, id: Uuid, draft: Option<&str>) -> StoreResult<()>;
    /// Closes an open conversation; the sender's next message starts a new one.
    async fn close_conversation(&self, id: Uuid, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Open conversations in one of `states`, the longest waiting first.
    async fn conversations_in(&self, states: &[ConversationState]) -> StoreResult<Vec<Conversation>>;
    /// How many turns `sender` wrote on `channel` since `since` (for the per-sender limits).
    async fn citizen_turns_since(&self, channel: ChatChannel, sender: &str, since: DateTime<Utc>) -> StoreResult<i64>;
}

const COLS: &str = "id, channel, sender, state, operator, handover_reason, started_at, updated_at, turns, draft";

fn conversation_from_row(row: &impl Get) -> StoreResult<Conversation> {
    Ok(Conversation {
        id: row.col("conversations.id")?,
        channel: parse_enum(&row.col::<String>("channel")?, "conversations.channel")?,
        sender: row.col("sender")?,
        state: parse_enum(&row.col::<String>("state")?, "conversations.state")?,
        operator: row.col("operator")?,
        handover_reason: row.col("handover_reason")?,
        started_at: row.col("conversations.started_at")?,
        updated_at: row.col("conversations.updated_at")?,
        turns: row.col("turns")?,
        draft: row.col("draft")?,
    })
}

fn turn_from_row(row: &impl Get) -> StoreResult<Turn> {
    Ok(Turn {
        n: row.col("n")?,
        speaker: parse_enum(&row.col::<String>("speaker")?, "conversation_turns.speaker")?,
        text: row.col("text")?,
        operator: row.col("operator")?,
        at: row.col("conversation_turns.at")?,
    })
}

#[async_trait]
impl<D: Dialect> ConversationStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, channel = channel.as_str()))]
    async fn open_conversation(
        &self,
        channel: ChatChannel,
        sender: &str,
        secret_hash: Option<&[u8]>,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> StoreResult<Conversation> {
        let mut tx = self.begin_write().await?;
        D::query(
            "UPDATE conversations SET closed_at = $3 WHERE channel = $1 AND sender = $2 AND closed_at IS NULL \
             AND updated_at < $4",
        )
        .arg(channel.as_str())
        .arg(sender)
        .arg(now)
        .arg(idle_since)
        .execute(D::conn(&mut tx))
        .await?;
        D::query(
            "INSERT INTO conversations (id, channel, sender, secret_hash, state, started_at, updated_at, turns) \
             VALUES ($1, $2, $3, $4, 'bot', $5, $5, 0) \
             ON CONFLICT (channel, sender) WHERE closed_at IS NULL DO NOTHING",
        )
        .arg(Uuid::now_v7())
        .arg(channel.as_str())
        .arg(sender)
        .arg(secret_hash)
        .arg(now)
        .execute(D::conn(&mut tx))
        .await?;
        let sql = format!("SELECT {COLS} FROM conversations WHERE channel = $1 AND sender = $2 AND closed_at IS NULL");
        let row =
            D::query(sqlx::AssertSqlSafe(sql)).arg(channel.as_str()).arg(sender).fetch_one(D::conn(&mut tx)).await?;
        let conversation = conversation_from_row(&row)?;
        tx.commit().await?;
        Ok(conversation)
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn conversation(&self, id: Uuid) -> StoreResult<Option<Conversation>> {
        let sql = format!("SELECT {COLS} FROM conversations WHERE id = $1");
        let row = D::query(sqlx::AssertSqlSafe(sql)).arg(id).fetch_optional(self.db()).await?;
        row.as_ref().map(conversation_from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn conversation_secret(&self, id: Uuid) -> StoreResult<Option<Vec<u8>>> {
        let row = D::query("SELECT secret_hash FROM conversations WHERE id = $1 AND closed_at IS NULL")
            .arg(id)
            .fetch_optional(self.db())
            .await?;
        Ok(match row {
            Some(r) => r.col("secret_hash")?,
            None => None,
        })
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn add_turn(
        &self,
        id: Uuid,
        speaker: Speaker,
        text: &str,
        operator: Option<&str>,
        message_id: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<Turn> {
        let mut tx = self.begin_write().await?;
        if let Some(m) = message_id {
            let seen =
                D::query("SELECT 1 AS one FROM conversation_turns WHERE conversation_id = $1 AND message_id = $2")
                    .arg(id)
                    .arg(m)
                    .fetch_optional(D::conn(&mut tx))
                    .await?;
            if seen.is_some() {
                tx.rollback().await?;
                return Err(StoreError::AlreadyExists(format!("message {m} of conversation {id}")));
            }
        }
        let row = D::query(
            "UPDATE conversations SET turns = turns + 1, updated_at = $2 WHERE id = $1 AND closed_at IS NULL \
             RETURNING turns",
        )
        .arg(id)
        .arg(at)
        .fetch_optional(D::conn(&mut tx))
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Err(StoreError::NotFound(format!("open conversation {id}")));
        };
        let n: i64 = row.col("turns")?;
        D::query(
            "INSERT INTO conversation_turns (conversation_id, n, speaker, text, operator, message_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .arg(id)
        .arg(n)
        .arg(enum_str(&speaker))
        .arg(text)
        .arg(operator)
        .arg(message_id)
        .arg(at)
        .execute(D::conn(&mut tx))
        .await?;
        tx.commit().await?;
        Ok(Turn {
            n,
            speaker,
            text: text.to_owned(),
            operator: operator.map(str::to_owned),
            at: super::codec::micros(at),
        })
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn turns(&self, id: Uuid, after: i64) -> StoreResult<Vec<Turn>> {
        let rows = D::query(
            "SELECT n, speaker, text, operator, at FROM conversation_turns WHERE conversation_id = $1 AND n > $2 \
             ORDER BY n",
        )
        .arg(id)
        .arg(after)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(turn_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn move_conversation(
        &self,
        id: Uuid,
        from: &[ConversationState],
        to: ConversationState,
        operator: Option<&str>,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Conversation>> {
        let sql = format!(
            "UPDATE conversations SET state = $2, operator = COALESCE($3, operator), \
             handover_reason = COALESCE($4, handover_reason), updated_at = $5 \
             WHERE id = $1 AND closed_at IS NULL AND {} RETURNING {COLS}",
            D::in_list("state", 6)
        );
        let row = D::query(sqlx::AssertSqlSafe(sql))
            .arg(id)
            .arg(enum_str(&to))
            .arg(operator)
            .arg(reason)
            .arg(now)
            .arg(from.iter().map(enum_str).collect::<Vec<String>>())
            .fetch_optional(self.db())
            .await?;
        row.as_ref().map(conversation_from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn mark_report(&self, id: Uuid, n: i64) -> StoreResult<()> {
        self.execute_write(
            D::query("UPDATE conversation_turns SET report = $3 WHERE conversation_id = $1 AND n = $2")
                .arg(id)
                .arg(n)
                .arg(true),
        )
        .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn message_was_report(&self, id: Uuid, message_id: &str) -> StoreResult<Option<bool>> {
        let row = D::query("SELECT report FROM conversation_turns WHERE conversation_id = $1 AND message_id = $2")
            .arg(id)
            .arg(message_id)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| r.col::<bool>("report")).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn set_draft(&self, id: Uuid, draft: Option<&str>) -> StoreResult<()> {
        self.execute_write(D::query("UPDATE conversations SET draft = $2 WHERE id = $1").arg(id).arg(draft)).await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn close_conversation(&self, id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
        let done = self
            .execute_write(
                D::query("UPDATE conversations SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL")
                    .arg(id)
                    .arg(now),
            )
            .await?;
        Ok(done.rows() > 0)
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn conversations_in(&self, states: &[ConversationState]) -> StoreResult<Vec<Conversation>> {
        let sql = format!(
            "SELECT {COLS} FROM conversations WHERE closed_at IS NULL AND {} ORDER BY updated_at LIMIT 500",
            D::in_list("state", 1)
        );
        let rows = D::query(sqlx::AssertSqlSafe(sql))
            .arg(states.iter().map(enum_str).collect::<Vec<String>>())
            .fetch_all(self.db())
            .await?;
        rows.iter().map(conversation_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn citizen_turns_since(&self, channel: ChatChannel, sender: &str, since: DateTime<Utc>) -> StoreResult<i64> {
        let row = D::query(
            "SELECT count(*) AS n FROM conversation_turns t JOIN conversations c ON c.id = t.conversation_id \
             WHERE c.channel = $1 AND c.sender = $2 AND t.speaker = 'citizen' AND t.at >= $3",
        )
        .arg(channel.as_str())
        .arg(sender)
        .arg(since)
        .fetch_one(self.db())
        .await?;
        row.col("n")
    }
}
