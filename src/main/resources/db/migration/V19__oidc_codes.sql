-- Authgate as an OpenID Provider: authorization codes (oidc/AuthorizationCodes). Only the code's SHA-256 is kept.
-- A code is used once (used_at); a second use marks it replayed and ends the session the first use issued
-- (issued_jti), RFC 6749 §4.1.2. Rows outlive their 60 seconds for an hour, so a late replay is still recognised.
create table oidc_code (
    code_hash      bytea primary key,
    client_id      text not null,
    group_name     text not null,
    dbtable        text not null,
    account_id     bigint not null,
    redirect_uri   text not null,
    scope          text not null,
    nonce          text,
    code_challenge text,
    auth_time      bigint not null,
    aal            int not null,
    amr            text not null,
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null,
    used_at        timestamptz,
    replayed       boolean not null default false,
    issued_jti     uuid
);
create index oidc_code_expires_at on oidc_code (expires_at);
