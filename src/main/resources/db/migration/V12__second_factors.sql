-- Second factors (docs/mfa.md): TOTP factors, recovery codes, and the mfa_tokens of logins waiting for a factor.
-- Rows name their account by (dbtable, account_id), as sessions do: auth tables are many and made by migrations.

-- A TOTP factor. The secret is AES-GCM ciphertext under a key derived from the token key with id kid (so a key
-- rotation keeps it readable while that key is in the ring; a use re-encrypts it under the current key).
-- An enrolment is inactive until a first code activates it; one never activated expires (expires_at) and never
-- counts. last_step is the last RFC 6238 time step accepted: a step is accepted once, by one conditional UPDATE.
create table auth_mfa_factor (
    id           uuid primary key,
    dbtable      text not null,
    account_id   bigint not null,
    type         text not null check (type in ('totp')),
    name         text not null,
    secret       bytea not null,
    kid          text not null,
    active       boolean not null default false,
    last_step    bigint,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    expires_at   timestamptz,
    check (active = (expires_at is null))
);
create index auth_mfa_factor_account on auth_mfa_factor (dbtable, account_id);

-- Recovery codes: an HMAC-SHA-256 of the code under a key derived from the token key kid; a use deletes the row
-- (one statement: two simultaneous uses, exactly one wins).
create table auth_mfa_recovery_code (
    id         bigint generated always as identity primary key,
    dbtable    text not null,
    account_id bigint not null,
    hash       bytea not null,
    kid        text not null,
    created_at timestamptz not null default now()
);
create index auth_mfa_recovery_code_account on auth_mfa_recovery_code (dbtable, account_id);

-- A login whose first factor was right and that waits for the second: the SHA-256 of the random mfa_token, the
-- account, how the first factor was proved (amr), 5 minutes, 5 attempts, used once.
create table auth_mfa_token (
    hash       bytea primary key,
    dbtable    text not null,
    account_id bigint not null,
    first_amr  text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    attempts   int not null default 0,
    used_at    timestamptz
);
create index auth_mfa_token_expires on auth_mfa_token (expires_at);
