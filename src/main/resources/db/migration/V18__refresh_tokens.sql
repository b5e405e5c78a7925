-- Refresh tokens (docs/sessions.md, "Refresh families"). A family is one sign-in: it belongs to one session row
-- (its authTokens all carry that session's jti) and ends with it: logout, logout everywhere, revocation, a role or
-- password change delete the session and, by the cascade, the family and every token of it.

create table refresh_family (
    session_jti uuid primary key references auth_session (jti) on delete cascade,
    -- the OpenID client the family was granted to (scope offline_access); null for an API group's auth/refresh
    client_id   text,
    scope       text,
    -- how the sign-in was proved: every token the family mints says so again
    aal         smallint not null check (aal in (1, 2)),
    amr         text not null,
    auth_time   timestamptz not null,
    -- the family's end, from the sign-in (not sliding); its session row lives as long
    expires_at  timestamptz not null
);

-- One row per refresh token ever handed out, kept while the family lives: a rotated token presented again is
-- recognised as reuse. The token is <id>.<secret>; only an HMAC-SHA-256 of the secret is stored, under a key
-- derived from the token key kid. successor is the answer the rotation gave (new authToken and refresh token),
-- AES-GCM sealed under a key derived from the presented secret and the token key: only a holder of the rotated
-- token can open it, for an identical retry within the grace.
create table refresh_token (
    id         uuid primary key,
    family     uuid not null references refresh_family (session_jti) on delete cascade,
    hash       bytea not null,
    kid        text not null,
    issued_at  timestamptz not null,
    rotated_at timestamptz,
    successor  bytea,
    check ((rotated_at is null) = (successor is null))
);
create index refresh_token_family on refresh_token (family);
