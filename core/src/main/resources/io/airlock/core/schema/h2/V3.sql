-- Airlock core, migration 3: remote locations of on-demand files (h2). Types as Hibernate generates them.
-- One row per content_artifact link that has no artifact yet and was synced with the on-demand
-- policy: where its file can be downloaded from and what it must be. Removed with the link.

create table if not exists remote_artifact (
    size bigint,
    content_artifact_id uuid not null,
    algorithm varchar(32) not null,
    checksum varchar(128) not null,
    url varchar(4096) not null,
    primary key (content_artifact_id)
);
