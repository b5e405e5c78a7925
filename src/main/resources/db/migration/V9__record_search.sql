-- The console searches records by email or name (a part of either, case-insensitively): trigram indexes, so that a
-- search stays an index probe at millions of records. pg_trgm is a trusted extension (PostgreSQL 13+): the
-- database's owner may create it, no superuser needed.
create extension if not exists pg_trgm;

-- Puts the search indexes on one auth table; idempotent. Emails are stored lower-case (V1's check); names are not.
create function authgate_index_auth_table(name text) returns void language plpgsql as $$
begin
    execute format('create index if not exists %I on %I using gin (email gin_trgm_ops)', name || '_email_search', name);
    execute format('create index if not exists %I on %I using gin (lower(name) gin_trgm_ops)', name || '_name_search', name);
end
$$;

-- Tables created from now on get them with the table (V4's function, plus the indexes).
create or replace function authgate_create_auth_table(name text) returns void language plpgsql as $$
begin
    perform authgate_create_bare_auth_table(name);
    perform authgate_watch_auth_table(name);
    perform authgate_index_auth_table(name);
end
$$;

-- Tables created before this migration: every table of this schema with the auth table's shape.
do $$
declare
    t text;
begin
    for t in
        select c.table_name from information_schema.columns c
        where c.table_schema = current_schema() and c.column_name in ('email', 'password_hash', 'extras', 'role')
        group by c.table_name having count(*) = 4
    loop
        perform authgate_index_auth_table(t);
    end loop;
end
$$;
