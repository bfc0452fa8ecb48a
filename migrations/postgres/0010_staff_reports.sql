-- Staff contacts (work phone and email, who heads a unit, the weekly report subscription) for
-- the escalation notices, the daily digests and the Friday report; and the weekly reports as
-- sent, one per schedule tick and recipient (the unique key makes a tick's report once, whatever
-- the number of instances). Internal: never public.
CREATE TABLE staff_contacts (
    user_id        uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    phone          text,
    email          text,
    unit_head      boolean     NOT NULL DEFAULT false,
    weekly_report  boolean     NOT NULL DEFAULT false,
    fields         text[]      NOT NULL DEFAULT '{}',
    unaccented_sms boolean     NOT NULL DEFAULT false,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE weekly_reports (
    id         uuid PRIMARY KEY,
    tick       timestamptz NOT NULL,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       jsonb       NOT NULL,
    xlsx       bytea       NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (tick, user_id)
);
CREATE INDEX weekly_reports_user_idx ON weekly_reports (user_id, tick DESC);

-- A chat or SMS reply is matched to the survey of the sender's last result.
CREATE INDEX notifications_recipient_idx ON notifications (channel, recipient);
