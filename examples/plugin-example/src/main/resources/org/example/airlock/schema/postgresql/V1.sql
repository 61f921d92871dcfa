-- Example plugin, migration 1: its two content tables (postgresql). Each unit's row extends the
-- content table's row of the same id; a distribution refers to its project.

create table if not exists example_project (
    id uuid not null,
    name varchar(200) not null,
    summary varchar(1000),
    primary key (id),
    constraint fk_example_project_content foreign key (id) references content
);

create table if not exists example_distribution (
    id uuid not null,
    filename varchar(500) not null,
    sha256 varchar(64) not null,
    version varchar(100) not null,
    project_id uuid not null,
    primary key (id),
    constraint fk_example_distribution_content foreign key (id) references content,
    constraint fk_example_distribution_project foreign key (project_id) references example_project
);

create index if not exists ix_example_distribution_project on example_distribution (project_id);
