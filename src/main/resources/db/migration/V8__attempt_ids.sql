-- Attempts are counted before the password is checked; a success takes back exactly the row it added.
alter table auth_attempt add column id bigint generated always as identity;
