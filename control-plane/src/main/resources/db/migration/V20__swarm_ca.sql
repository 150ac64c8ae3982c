-- SSL torrents (package peertls): the fleet's swarm CA. Its certificate goes into the info
-- dictionary of every torrent published while starling.swarm.ssl is on; it signs a short-lived
-- certificate for each agent at check-in and one for the origin seeder. One row, made by the
-- first replica that needs it; every replica reads the same one.
create table swarm_ca (
    id          smallint      primary key check (id = 1),
    -- PEM (X.509).
    certificate text          not null,
    -- PEM (PKCS#8). As sensitive as the signing keys: whoever reads it can mint certificates that
    -- let a peer into every SSL swarm of this fleet (not manifests: those are signed apart).
    private_key text          not null,
    created_at  timestamptz   not null
);
