-- Airlock rpm plugin, migration 4: a package's dependency lists and primary's file list as plain
-- text on H2 (h2). H2 parses and re-encodes every value bound to a JSON column; these lists are
-- only ever read and written whole, as the JSON text Hibernate and the readers produce, so storing
-- them as text skips that work on every insert (sync, import, copy). The values stay the same JSON.

alter table rpm_package alter column conflicts set data type varchar(1000000000);
alter table rpm_package alter column enhances set data type varchar(1000000000);
alter table rpm_package alter column files set data type varchar(1000000000);
alter table rpm_package alter column obsoletes set data type varchar(1000000000);
alter table rpm_package alter column provides set data type varchar(1000000000);
alter table rpm_package alter column recommends set data type varchar(1000000000);
alter table rpm_package alter column requires set data type varchar(1000000000);
alter table rpm_package alter column suggests set data type varchar(1000000000);
alter table rpm_package alter column supplements set data type varchar(1000000000);
