-- Airlock rpm plugin, migration 4 (postgresql): nothing. On H2 this migration stores a package's
-- dependency lists and file list as text instead of JSON; PostgreSQL keeps them in jsonb, whose
-- input is cheap next to H2's JSON normalisation.
select 1;
