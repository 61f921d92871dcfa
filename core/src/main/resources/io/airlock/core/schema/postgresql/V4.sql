-- Airlock core, migration 4: scratch runs (postgresql). Every id under which an engine writes scratch rows
-- (import_key.run_id, version_draft_unit.draft_id) has a row here, committed by the engine's second
-- connection and locked by its main transaction while that lives: a row that can be locked belongs
-- to a run whose process is gone, and its scratch rows can be removed (see ScratchSpace).

create table if not exists scratch_run (
    id uuid not null,
    started timestamp not null,
    primary key (id)
);
