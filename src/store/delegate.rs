//! The one `impl Store` both backends share (see [`delegate_store`]).

/// Implements [`Store`] for a backend by delegating each method to the function of the same name
/// in the backend's `reference`, `tickets`, `outbox`, `accounts`, `open311`, `photos`, `channels`,
/// `notifications` and `calls` modules, which take the backend's pool first. Both backends share
/// this one delegation, so they cannot drift apart.
macro_rules! delegate_store {
    ($ty:ty, $backend:expr, $name:literal) => {
        #[async_trait::async_trait]
        impl $crate::store::Store for $ty {
            fn backend(&self) -> Backend {
                $backend
            }

            #[tracing::instrument(skip_all, fields(backend = $name))]
            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            // ---- reference data -------------------------------------------------------------------

            async fn upsert_areas(&self, areas: &[Area]) -> StoreResult<()> {
                reference::upsert_areas(&self.pool, areas).await
            }

            async fn areas(&self) -> StoreResult<Vec<Area>> {
                reference::areas(&self.pool).await
            }

            async fn upsert_categories(&self, categories: &[Category]) -> StoreResult<()> {
                reference::upsert_categories(&self.pool, categories).await
            }

            async fn categories(&self) -> StoreResult<Vec<Category>> {
                reference::categories(&self.pool).await
            }

            async fn upsert_units(&self, units: &[Unit]) -> StoreResult<()> {
                reference::upsert_units(&self.pool, units).await
            }

            async fn units(&self) -> StoreResult<Vec<Unit>> {
                reference::units(&self.pool).await
            }

            async fn replace_routing_rules(&self, rules: &[RoutingRule]) -> StoreResult<()> {
                reference::replace_routing_rules(&self.pool, rules).await
            }

            async fn routing_rules(&self) -> StoreResult<Vec<RoutingRule>> {
                reference::routing_rules(&self.pool).await
            }

            // ---- tickets --------------------------------------------------------------------------

            async fn create_ticket(&self, new: NewTicketRecord, idem: Option<IdempotencyKey>) -> StoreResult<Created> {
                tickets::create_ticket(&self.pool, new, idem).await
            }

            async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
                tickets::ticket(&self.pool, id).await
            }

            async fn ticket_by_code(&self, code: &TicketCode) -> StoreResult<Option<Ticket>> {
                tickets::ticket_by_code(&self.pool, code).await
            }

            async fn tickets_by_ids(&self, ids: &[TicketId]) -> StoreResult<Vec<Ticket>> {
                tickets::tickets_by_ids(&self.pool, ids).await
            }

            async fn all_tickets(&self) -> StoreResult<Vec<Ticket>> {
                tickets::all_tickets(&self.pool).await
            }

            async fn contact(&self, id: TicketId) -> StoreResult<Option<ReporterContact>> {
                tickets::contact(&self.pool, id).await
            }

            async fn token_hash(&self, id: TicketId) -> StoreResult<Option<Vec<u8>>> {
                tickets::token_hash(&self.pool, id).await
            }

            async fn replace_token_hash(&self, id: TicketId, token_hash: &[u8]) -> StoreResult<()> {
                tickets::replace_token_hash(&self.pool, id, token_hash).await
            }

            async fn update_ticket(
                &self,
                ticket: &Ticket,
                expected_version: i64,
                event: TicketEvent,
            ) -> StoreResult<TicketEvent> {
                tickets::update_ticket(&self.pool, ticket, expected_version, event).await
            }

            // ---- events ---------------------------------------------------------------------------

            async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>> {
                outbox::events_after(&self.pool, after, limit).await
            }

            async fn ticket_events(&self, id: TicketId) -> StoreResult<Vec<TicketEvent>> {
                outbox::ticket_events(&self.pool, id).await
            }

            async fn last_seq(&self) -> StoreResult<i64> {
                outbox::last_seq(&self.pool).await
            }

            fn watch_events(&self, wake: $crate::store::EventWake) -> Option<tokio::task::JoinHandle<()>> {
                outbox::watch_events(&self.pool, wake)
            }

            // ---- users, sessions, API keys --------------------------------------------------------

            async fn create_user(&self, new: NewUser) -> StoreResult<()> {
                accounts::create_user(&self.pool, new).await
            }

            async fn user_by_name(&self, name: &str) -> StoreResult<Option<(User, String)>> {
                accounts::user_by_name(&self.pool, name).await
            }

            async fn users(&self) -> StoreResult<Vec<User>> {
                accounts::users(&self.pool).await
            }

            async fn create_session(
                &self,
                token_hash: &[u8],
                user_id: Uuid,
                expires_at: DateTime<Utc>,
            ) -> StoreResult<()> {
                accounts::create_session(&self.pool, token_hash, user_id, expires_at).await
            }

            async fn session_user(&self, token_hash: &[u8], now: DateTime<Utc>) -> StoreResult<Option<User>> {
                accounts::session_user(&self.pool, token_hash, now).await
            }

            async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
                accounts::delete_session(&self.pool, token_hash).await
            }

            async fn create_api_key(&self, key: &ApiKey, key_hash: &[u8]) -> StoreResult<()> {
                accounts::create_api_key(&self.pool, key, key_hash).await
            }

            async fn api_key(&self, key_hash: &[u8]) -> StoreResult<Option<ApiKey>> {
                accounts::api_key(&self.pool, key_hash).await
            }

            // ---- Open311 --------------------------------------------------------------------------

            async fn ticket_extras(&self, ids: &[TicketId]) -> StoreResult<Vec<(TicketId, TicketExtras)>> {
                open311::ticket_extras(&self.pool, ids).await
            }

            async fn events_between(
                &self,
                from: DateTime<Utc>,
                to: DateTime<Utc>,
                kinds: &[EventKind],
                offset: i64,
                limit: i64,
            ) -> StoreResult<Vec<TicketEvent>> {
                open311::events_between(&self.pool, from, to, kinds, offset, limit).await
            }

            // ---- photos ---------------------------------------------------------------------------

            async fn add_ticket_photos(
                &self,
                ticket: TicketId,
                photos: &[$crate::store::NewTicketPhoto],
                max_per_ticket: usize,
                event: TicketEvent,
            ) -> StoreResult<$crate::store::AddedPhotos> {
                photos::add_ticket_photos(&self.pool, ticket, photos, max_per_ticket, event).await
            }

            async fn ticket_photos(&self, ticket: TicketId) -> StoreResult<Vec<$crate::domain::TicketPhoto>> {
                photos::ticket_photos(&self.pool, ticket).await
            }

            async fn photos_with_hash(
                &self,
                hash: &$crate::domain::PhotoHash,
            ) -> StoreResult<Vec<$crate::domain::TicketPhoto>> {
                photos::photos_with_hash(&self.pool, hash).await
            }

            async fn set_photo_public(
                &self,
                ticket: TicketId,
                hash: &$crate::domain::PhotoHash,
                public: bool,
            ) -> StoreResult<$crate::domain::TicketPhoto> {
                photos::set_photo_public(&self.pool, ticket, hash, public).await
            }

            // ---- channels and notifications -------------------------------------------------------

            async fn accept_message(
                &self,
                msg: $crate::store::InboundMessage,
                draft_since: DateTime<Utc>,
            ) -> StoreResult<$crate::store::Accepted> {
                channels::accept_message(&self.pool, msg, draft_since).await
            }

            async fn link_message(
                &self,
                medium: $crate::domain::Medium,
                message_id: &str,
                ticket: TicketId,
            ) -> StoreResult<()> {
                channels::link_message(&self.pool, medium, message_id, ticket).await
            }

            async fn message_sender(&self, ticket: TicketId) -> StoreResult<Option<($crate::domain::Medium, String)>> {
                channels::message_sender(&self.pool, ticket).await
            }

            async fn enqueue_notifications(
                &self,
                items: &[$crate::store::NewNotification],
                now: DateTime<Utc>,
            ) -> StoreResult<u64> {
                notifications::enqueue(&self.pool, items, now).await
            }

            async fn claim_notifications(
                &self,
                now: DateTime<Utc>,
                lease_until: DateTime<Utc>,
                limit: i64,
            ) -> StoreResult<Vec<$crate::store::Notification>> {
                notifications::claim(&self.pool, now, lease_until, limit).await
            }

            async fn finish_notification(&self, id: Uuid, outcome: $crate::store::DeliveryOutcome) -> StoreResult<()> {
                notifications::finish(&self.pool, id, outcome).await
            }

            async fn ticket_notifications(&self, ticket: TicketId) -> StoreResult<Vec<$crate::store::Notification>> {
                notifications::for_ticket(&self.pool, ticket).await
            }

            async fn recipient_notifications(
                &self,
                medium: $crate::domain::Medium,
                recipient: &str,
            ) -> StoreResult<Vec<$crate::store::Notification>> {
                notifications::for_recipient(&self.pool, medium, recipient).await
            }

            async fn notify_cursor(&self) -> StoreResult<i64> {
                notifications::cursor(&self.pool).await
            }

            async fn advance_notify_cursor(&self, seq: i64) -> StoreResult<()> {
                notifications::advance_cursor(&self.pool, seq).await
            }

            // ---- phone calls (the console's intake) -----------------------------------------------

            async fn put_call(&self, id: TicketId, call: &$crate::domain::CallRecord) -> StoreResult<()> {
                calls::put_call(&self.pool, id, call).await
            }

            async fn call(&self, id: TicketId) -> StoreResult<Option<$crate::domain::CallRecord>> {
                calls::call(&self.pool, id).await
            }
        }
    };
}
pub(crate) use delegate_store;
