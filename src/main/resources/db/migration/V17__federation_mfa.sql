-- authgate.providers.<p>.trust-mfa: whether the provider's amr said it did MFA (and it is trusted for it), decided
-- at the callback and used once by auth/oauth/token to issue aal 2 without asking for the account's second factor.
alter table auth_federation_code add column mfa_trusted boolean not null default false;
