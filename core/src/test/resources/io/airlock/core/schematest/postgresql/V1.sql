-- The widget table of the test plugin that ships migrations.
create table if not exists test_widget (
    revision integer not null,
    id uuid not null,
    name varchar(255) not null,
    primary key (id),
    constraint fk_test_widget_content foreign key (id) references content
);
