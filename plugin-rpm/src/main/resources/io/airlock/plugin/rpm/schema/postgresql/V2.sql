-- Airlock rpm plugin, migration 2: each package's complete file list (filelists.xml) and changelog
-- entries (other.xml), each packed into one compressed column (postgresql). Types as Hibernate generates them.

alter table rpm_package add column if not exists file_list bytea;
alter table rpm_package add column if not exists changelog bytea;
