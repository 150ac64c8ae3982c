-- Tracker: a holder's configured site, and swarm state that survives a restart and is shared by replicas.
alter table passkey add column site varchar(64);

create table tracker_swarm (
    info_hash_v1        varchar(40) primary key,
    completed           bigint      not null default 0,
    reported_uploaded   bigint      not null default 0,
    reported_downloaded bigint      not null default 0,
    updated_at          timestamptz not null
);

create table tracker_peer (
    info_hash_v1     varchar(40) not null,
    passkey_id       bigint      not null,
    peer_id          bytea       not null,
    ip               bytea       not null,
    port             integer     not null,
    uploaded         bigint      not null,
    downloaded       bigint      not null,
    left_bytes       bigint      not null,
    site             varchar(64) not null,
    last_seen        timestamptz not null,
    counted_complete boolean     not null,
    primary key (info_hash_v1, passkey_id, peer_id)
);
create index tracker_peer_last_seen_idx on tracker_peer (last_seen);
