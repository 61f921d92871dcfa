-- Airlock core, migration 1: the core tables and the engines' scratch tables (h2).
-- Generated from Hibernate's DDL for the core entities; "if not exists" throughout so that a
-- database an earlier Airlock created with Hibernate's schema update migrates without change.

create table if not exists artifact (
    size bigint not null,
    id uuid not null,
    sha256 varchar(64) not null,
    primary key (id),
    constraint uk_artifact_sha256 unique (sha256)
);

create table if not exists content (
    id uuid not null,
    content_type varchar(64) not null,
    key_digest varchar(64) not null,
    label varchar(2048) not null,
    primary key (id),
    constraint uk_content_key_digest unique (key_digest)
);

create table if not exists content_artifact (
    artifact_id uuid,
    content_id uuid not null,
    id uuid not null,
    relative_path varchar(2048) not null,
    primary key (id),
    constraint uk_content_artifact_path unique (content_id, relative_path)
);

create table if not exists export_record (
    version_number integer not null,
    created timestamp(6) with time zone not null,
    id uuid not null,
    repository_id uuid not null,
    export_name varchar(255) not null,
    exporter varchar(255) not null,
    primary key (id)
);

create table if not exists repository (
    latest_version integer not null,
    id uuid not null,
    family varchar(64) not null,
    description varchar(4000),
    name varchar(255) not null,
    primary key (id),
    constraint uk_repository_name unique (name)
);

create table if not exists repository_content (
    version_added integer not null,
    version_removed integer,
    content_id uuid not null,
    repository_id uuid not null,
    primary key (version_added, content_id, repository_id)
);

create table if not exists repository_version (
    base_number integer,
    complete boolean not null,
    number integer not null,
    added_count bigint not null,
    content_count bigint not null,
    created timestamp(6) with time zone not null,
    removed_count bigint not null,
    id uuid not null,
    repository_id uuid not null,
    primary key (id),
    constraint uk_repository_version unique (repository_id, number)
);

create index if not exists ix_content_type_label on content (content_type, label);

create index if not exists ix_content_artifact_artifact on content_artifact (artifact_id);

create index if not exists ix_export_record_exporter on export_record (exporter, repository_id);

create index if not exists ix_repository_content_added on repository_content (repository_id, version_added);

create index if not exists ix_repository_content_content on repository_content (content_id);

-- Scratch tables, not entities: version drafts stream unit ids into version_draft_unit so that
-- version arithmetic runs as set-based SQL; import_key holds the keys of an import being resolved:
-- links (L), membership (M) and carried units (R, with their label and own file digest) of one run.
create table if not exists version_draft_unit (
    draft_id uuid not null,
    op char(1) not null,
    content_id uuid not null
);

create index if not exists ix_version_draft_unit on version_draft_unit (draft_id, op, content_id);

create table if not exists import_key (
    run_id uuid not null,
    kind char(1) not null,
    repo_index int not null,
    line bigint not null,
    digest varchar(64) not null,
    path varchar(4096),
    sha256 varchar(64),
    label varchar(512),
    own_algorithm varchar(32),
    own_digest varchar(128)
);

create index if not exists ix_import_key on import_key (run_id, kind, repo_index, line);

create index if not exists ix_import_key_digest on import_key (run_id, kind, digest);
