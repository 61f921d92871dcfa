-- Airlock rpm plugin, migration 1: the rpm content tables (postgresql).
-- Generated from the DDL Hibernate writes for the plugin's entities on a live database (so keywords such
-- as "groups" are quoted as its queries quote them); "if not exists" throughout so that a
-- database an earlier Airlock created with Hibernate's schema update migrates without change.

create table if not exists rpm_advisory (
    reboot_suggested boolean,
    id uuid not null,
    advisory_type varchar(64),
    advisory_version varchar(64),
    digest varchar(64) not null,
    issued varchar(64),
    pushcount varchar(64),
    severity varchar(64),
    status varchar(64),
    updated varchar(64),
    issuer varchar(1024),
    release_name varchar(1024),
    description varchar(1000000),
    rights varchar(1000000),
    solution varchar(1000000),
    summary varchar(1000000),
    title varchar(1000000),
    advisory_id varchar(255) not null,
    primary key (id),
    constraint FK3hg45c444tsn8hwcoxto1kk2i foreign key (id) references content
);

create table if not exists rpm_advisory_collection (
    position integer not null,
    module_version bigint,
    advisory_id uuid not null,
    id uuid not null,
    module_arch varchar(32),
    name varchar(1024),
    short_name varchar(1024),
    module_context varchar(255),
    module_name varchar(255),
    module_stream varchar(255),
    primary key (id),
    constraint FKs69b9i26w35iktt663xem529i foreign key (advisory_id) references rpm_advisory
);

create table if not exists rpm_advisory_package (
    position integer not null,
    reboot_suggested boolean,
    relogin_suggested boolean,
    restart_suggested boolean,
    collection_id uuid not null,
    id uuid not null,
    sum_type varchar(16),
    arch varchar(32),
    epoch varchar(32),
    sum varchar(128),
    filename varchar(1024),
    src varchar(1024),
    name varchar(255) not null,
    "release" varchar(255),
    version varchar(255),
    primary key (id),
    constraint FK4n519or8pcwwikaswikws6o8x foreign key (collection_id) references rpm_advisory_collection
);

create table if not exists rpm_advisory_reference (
    position integer not null,
    advisory_id uuid not null,
    id uuid not null,
    ref_type varchar(64),
    ref_id varchar(1024),
    href varchar(2048),
    title varchar(4096),
    primary key (id),
    constraint FKav98ab19wiy756hyj5ibe1pmw foreign key (advisory_id) references rpm_advisory
);

create table if not exists rpm_modulemd (
    static_context boolean,
    version bigint not null,
    id uuid not null,
    arch varchar(32) not null,
    description varchar(1000000),
    summary varchar(1000000),
    snippet varchar(10000000) not null,
    context varchar(255) not null,
    name varchar(255) not null,
    stream varchar(255) not null,
    artifacts jsonb,
    dependencies jsonb,
    profiles jsonb,
    primary key (id),
    constraint FK883mgsutsofre7l3kopkdtson foreign key (id) references content
);

create table if not exists rpm_modulemd_defaults (
    id uuid not null,
    digest varchar(64) not null,
    snippet varchar(10000000) not null,
    "module" varchar(255) not null,
    stream varchar(255),
    profiles jsonb,
    primary key (id),
    constraint FK1nw5g04cwy2nted6085wh0leb foreign key (id) references content
);

create table if not exists rpm_package (
    rpm_header_end bigint,
    rpm_header_start bigint,
    size_archive bigint,
    size_installed bigint,
    size_package bigint,
    time_build bigint,
    time_file bigint,
    checksum_type varchar(16) not null,
    id uuid not null,
    arch varchar(32) not null,
    epoch varchar(32) not null,
    pkg_id varchar(128) not null,
    packager varchar(1024),
    rpm_buildhost varchar(1024),
    rpm_group varchar(1024),
    rpm_sourcerpm varchar(1024),
    rpm_vendor varchar(1024),
    location_base varchar(2048),
    location_href varchar(2048) not null,
    url varchar(2048),
    rpm_license varchar(4096),
    description varchar(1000000),
    summary varchar(1000000),
    name varchar(255) not null,
    "release" varchar(255) not null,
    version varchar(255) not null,
    conflicts jsonb,
    enhances jsonb,
    files jsonb,
    obsoletes jsonb,
    provides jsonb,
    recommends jsonb,
    requires jsonb,
    suggests jsonb,
    supplements jsonb,
    primary key (id),
    constraint FKlpei77nu7b76risjid7slt1p8 foreign key (id) references content
);

create table if not exists rpm_packagecategory (
    display_order integer,
    id uuid not null,
    digest varchar(64) not null,
    name varchar(1024),
    description varchar(1000000),
    category_id varchar(255) not null,
    description_by_lang jsonb,
    "groups" jsonb,
    name_by_lang jsonb,
    primary key (id),
    constraint FKmt47asly3p05ee10jtw74hvps foreign key (id) references content
);

create table if not exists rpm_packageenvironment (
    display_order integer,
    id uuid not null,
    digest varchar(64) not null,
    name varchar(1024),
    description varchar(1000000),
    environment_id varchar(255) not null,
    description_by_lang jsonb,
    "groups" jsonb,
    name_by_lang jsonb,
    options jsonb,
    primary key (id),
    constraint FKa1l65vbixq3ev5akusni20mp6 foreign key (id) references content
);

create table if not exists rpm_packagegroup (
    biarch_only boolean,
    display_order integer,
    is_default boolean,
    user_visible boolean,
    id uuid not null,
    digest varchar(64) not null,
    name varchar(1024),
    description varchar(1000000),
    group_id varchar(255) not null,
    description_by_lang jsonb,
    name_by_lang jsonb,
    packages jsonb,
    primary key (id),
    constraint FKtc6wc1r7thc3cox5nrv0yd6uv foreign key (id) references content
);

create table if not exists rpm_packagelangpacks (
    id uuid not null,
    digest varchar(64) not null,
    matches jsonb,
    primary key (id),
    constraint FKngfrime061w69e4cyop88d6vh foreign key (id) references content
);

create index if not exists ix_rpm_package_name on rpm_package (name);
