-- Replicas may cache live sessions and the records they read (dev.authgate.session): PostgreSQL tells every
-- replica, in the same transaction as the change, what to drop. The notification exists if and only if the
-- change committed. Channel authgate_sessions; payloads (fields separated by one space, entries by ';'):
--   s <dbtable> <account_id> <jti>[;...]   these sessions ended (logout, password change, delete, purge, ...)
--   a <dbtable> <account_id>               this record changed or was deleted (name, email, role, extras, ...)
--   *                                      drop everything (a TRUNCATE)
-- Triggers, not application code, so that no path (a new endpoint, an operator's SQL) can forget it.

-- Where a session was issued: shown to its owner by GET auth/sessions.
alter table auth_session add column ip text, add column user_agent text;

create function authgate_notify_sessions_ended() returns trigger language plpgsql as $$
declare
    batch text;
begin
    -- ~120 bytes an entry, 60 to a notification: well under pg_notify's 8000-byte payload.
    for batch in
        select string_agg(dbtable || ' ' || account_id || ' ' || jti, ';')
        from (select dbtable, account_id, jti, (row_number() over () - 1) / 60 as chunk from ended) e
        group by chunk
    loop
        perform pg_notify('authgate_sessions', 's ' || batch);
    end loop;
    return null;
end
$$;

create trigger auth_session_ended after delete on auth_session
    referencing old table as ended for each statement execute function authgate_notify_sessions_ended();

create function authgate_notify_everything() returns trigger language plpgsql as $$
begin
    perform pg_notify('authgate_sessions', '*');
    return null;
end
$$;

create trigger auth_session_truncated after truncate on auth_session
    for each statement execute function authgate_notify_everything();

-- Sessions are never updated by the service; if anything does, their meaning may have changed.
create trigger auth_session_updated after update on auth_session
    referencing old table as ended for each statement execute function authgate_notify_sessions_ended();

create function authgate_notify_record_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('authgate_sessions', 'a ' || TG_TABLE_NAME || ' ' || old.id);
    return null;
end
$$;

-- Puts the notifications on one auth table; idempotent.
create function authgate_watch_auth_table(name text) returns void language plpgsql as $$
begin
    execute format('drop trigger if exists authgate_record_changed on %I', name);
    execute format('create trigger authgate_record_changed after update or delete on %I for each row '
        || 'execute function authgate_notify_record_changed()', name);
    execute format('drop trigger if exists authgate_records_truncated on %I', name);
    execute format('create trigger authgate_records_truncated after truncate on %I for each statement '
        || 'execute function authgate_notify_everything()', name);
end
$$;

-- Tables created from now on get the notifications with the table: V1's function keeps making the table.
alter function authgate_create_auth_table(text) rename to authgate_create_bare_auth_table;

create function authgate_create_auth_table(name text) returns void language plpgsql as $$
begin
    perform authgate_create_bare_auth_table(name);
    perform authgate_watch_auth_table(name);
end
$$;

-- Tables created before this migration (user, staff, and any a deployment added): every table of this schema
-- with the auth table's shape.
do $$
declare
    t text;
begin
    for t in
        select c.table_name from information_schema.columns c
        where c.table_schema = current_schema() and c.column_name in ('email', 'password_hash', 'extras', 'role')
        group by c.table_name having count(*) = 4
    loop
        perform authgate_watch_auth_table(t);
    end loop;
end
$$;
