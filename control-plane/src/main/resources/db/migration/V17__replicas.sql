-- Control-plane replicas that share one database: each writes its origin seeder's address every few
-- seconds, so that every replica's tracker hands out all live origin seeders. UNLOGGED: the rows
-- are rewritten within seconds, so a PostgreSQL crash that empties the table costs nothing.
create unlogged table control_plane_replica (
    replica_id  varchar(100) primary key,
    origin_peer varchar(300),
    last_seen   timestamptz  not null
);
create index control_plane_replica_last_seen_idx on control_plane_replica (last_seen);

-- When a replica last wrote each peer row, by the database's clock: other replicas read what was
-- written since their last read (with a margin), whatever the writer's clock or its save delay.
alter table tracker_peer add column written_at timestamptz not null default now();
create index tracker_peer_written_at_idx on tracker_peer (written_at);
