-- Airlock rpm plugin, migration 2: each package's complete file list (filelists.xml) and changelog
-- entries (other.xml), each packed into one compressed column (h2). Types as Hibernate generates them.

alter table rpm_package add column if not exists file_list varbinary(1000000);
alter table rpm_package add column if not exists changelog varbinary(1000000);
