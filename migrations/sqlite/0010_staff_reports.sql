-- Staff contacts (work phone and email, who heads a unit, the weekly report subscription) for
-- the escalation notices, the daily digests and the Friday report; and the weekly reports as
-- sent, one per schedule tick and recipient (the unique key makes a tick's report once).
-- Instants are UTC text, lists JSON text, as in 0001.
CREATE TABLE staff_contacts (
    user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    phone          TEXT,
    email          TEXT,
    unit_head      INTEGER NOT NULL DEFAULT 0,
    weekly_report  INTEGER NOT NULL DEFAULT 0,
    fields         TEXT    NOT NULL DEFAULT '[]',
    unaccented_sms INTEGER NOT NULL DEFAULT 0,
    updated_at     TEXT    NOT NULL
);

CREATE TABLE weekly_reports (
    id         TEXT PRIMARY KEY,
    tick       TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    xlsx       BLOB NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (tick, user_id)
);
CREATE INDEX weekly_reports_user_idx ON weekly_reports (user_id, tick DESC);

-- A chat or SMS reply is matched to the survey of the sender's last result.
CREATE INDEX notifications_recipient_idx ON notifications (channel, recipient);
