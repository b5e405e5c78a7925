-- Consents to OpenID clients that are not first-party (oidc/Consents): what an account let a client have, so the
-- consent page is asked once per client and set of scopes. Revocable by the account (DELETE auth/consents/{client}).
-- scopes: the granted scopes, sorted and space-separated (a later consent adds to them).
create table auth_oidc_consent (
    dbtable     text not null,
    account_id  bigint not null,
    client_id   text not null,
    scopes      text not null,
    granted_at  timestamptz not null default now(),
    primary key (dbtable, account_id, client_id)
);
