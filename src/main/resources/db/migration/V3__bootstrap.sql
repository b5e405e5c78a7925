-- One-time start-up actions that have run, by name ('admin': the bootstrap administrator). What such an action
-- made may be deleted later, and must stay deleted: the row, not the data, says the action is done.
create table authgate_bootstrap (
    name   text primary key,
    ran_at timestamptz not null default now()
);
