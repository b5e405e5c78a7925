-- Passkeys (docs/mfa.md): WebAuthn credentials and the challenges of ceremonies under way. Rows name their account
-- by (dbtable, account_id), as factors and sessions do. Both in PostgreSQL: a ceremony started on one replica
-- finishes on another.

-- A passkey. credential_id is the authenticator's id (unique over every table: an authenticator makes a new one for
-- each registration); attested_data is the attested credential data (AAGUID, id, COSE public key) as webauthn4j's
-- AttestedCredentialDataConverter serializes it. sign_count is the last signature counter seen; backup_eligible and
-- backup_state are the authenticator data's BE and BS flags (BE decides amr hwk or swk).
create table auth_passkey (
    id              uuid primary key,
    dbtable         text not null,
    account_id      bigint not null,
    credential_id   bytea not null unique,
    attested_data   bytea not null,
    sign_count      bigint not null default 0,
    uv_initialized  boolean not null,
    backup_eligible boolean not null,
    backup_state    boolean not null,
    name            text not null,
    created_at      timestamptz not null default now(),
    last_used_at    timestamptz
);
create index auth_passkey_account on auth_passkey (dbtable, account_id);

-- A challenge handed out by an options endpoint: single use (used_at), 5 minutes. purpose register (account_id is
-- the caller) or login (account_id and mfa_hash set for the second step after a password, null for usernameless).
create table auth_webauthn_challenge (
    id         uuid primary key,
    challenge  bytea not null,
    purpose    text not null check (purpose in ('register', 'login')),
    dbtable    text not null,
    account_id bigint,
    mfa_hash   bytea not null, -- empty: no mfa_token
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at    timestamptz
);
create index auth_webauthn_challenge_expires on auth_webauthn_challenge (expires_at);
