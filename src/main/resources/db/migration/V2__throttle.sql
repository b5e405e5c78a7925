-- Failed logins and signups by key (table+email, client address), shared by every replica.
-- Rows older than the throttle window are purged; while a key is over its limit nothing is added,
-- so a brute-force run cannot grow this table without bound.
create table auth_attempt (
    key text not null,
    at  timestamptz not null default now()
);
create index auth_attempt_key_at on auth_attempt (key, at);
