-- Airlock core, migration 2: life over months (h2). Types as Hibernate generates them.
-- A repository's retention (how many versions to keep; null keeps all); what each recorded export
-- was (full or incremental since base_version, its files and their total size; null in records
-- made before this migration).

alter table repository add column if not exists retain_versions integer;

alter table export_record add column if not exists incremental boolean;
alter table export_record add column if not exists base_version integer;
alter table export_record add column if not exists files character varying(1000000);
alter table export_record add column if not exists total_bytes bigint;
