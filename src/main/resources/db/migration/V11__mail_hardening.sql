-- Issue 23: the mail flows cannot be used to take an account over.

-- Whether a session was opened by proving the account's password (sign-up, login, a password change or reset):
-- only such a session keeps the password when the address is proved for the first time (pre-hijacking).
alter table auth_session add column password boolean not null default false;

-- The link in the notice to the old address that cancels an email change (and ends every session).
alter table auth_email_secret drop constraint auth_email_secret_purpose_check;
alter table auth_email_secret add constraint auth_email_secret_purpose_check
    check (purpose in ('reset', 'verify', 'magic-link', 'magic-code', 'email-change', 'email-change-cancel'));
-- An account's live secrets are voided together (a reset, a password change, logout everywhere, ...).
create index auth_email_secret_account on auth_email_secret (dbtable, account_id) where used_at is null;

-- Wrong magic-link codes per (table, email) across codes: past the limit only the link signs in.
create table auth_code_failure (
    dbtable text not null,
    email   text not null,
    at      timestamptz not null default now()
);
create index auth_code_failure_key on auth_code_failure (dbtable, email, at);
