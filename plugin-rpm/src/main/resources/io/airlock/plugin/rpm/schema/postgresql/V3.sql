-- Airlock rpm plugin, migration 3: module obsoletes (modulemd-obsoletes documents), the other
-- metadata files repomd.xml lists (productid and the like, kept as artifacts), and repomd's revision
-- and tags (postgresql). Types as Hibernate generates them.

create table if not exists rpm_modulemd_obsolete (
    reset boolean,
    id uuid not null,
    digest varchar(64) not null,
    eol_date varchar(64),
    modified varchar(64) not null,
    context varchar(255),
    "module" varchar(255) not null,
    obsoleted_by_module varchar(255),
    obsoleted_by_stream varchar(255),
    stream varchar(255) not null,
    message varchar(1000000) not null,
    snippet varchar(10000000) not null,
    primary key (id),
    constraint FK_rpm_modulemd_obsolete_content foreign key (id) references content
);

create table if not exists rpm_repo_metadata_file (
    id uuid not null,
    checksum_type varchar(16) not null,
    checksum varchar(128) not null,
    data_type varchar(255) not null,
    relative_path varchar(2048) not null,
    primary key (id),
    constraint FK_rpm_repo_metadata_file_content foreign key (id) references content
);

create table if not exists rpm_repo_metadata (
    id uuid not null,
    digest varchar(64) not null,
    revision varchar(1024),
    content_tags jsonb,
    distro_tags jsonb,
    repo_tags jsonb,
    primary key (id),
    constraint FK_rpm_repo_metadata_content foreign key (id) references content
);
