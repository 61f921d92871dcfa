-- Airlock file plugin, migration 1: the file content tables (postgresql).
-- Generated from Hibernate's DDL for the plugin's entities; "if not exists" throughout so that a
-- database an earlier Airlock created with Hibernate's schema update migrates without change.

create table if not exists file_content (
    id uuid not null,
    sha256 varchar(64) not null,
    relative_path varchar(2048) not null,
    primary key (id),
    constraint FKpberunyr8kv0o8vo6t9thv6r7 foreign key (id) references content
);
