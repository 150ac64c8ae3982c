-- Sites: named groups of CIDR ranges, so that the tracker can hand out peers on the same site first.
create table site (
    id          bigserial primary key,
    name        varchar(64)  not null unique,
    description varchar(1000),
    created_at  timestamptz  not null,
    created_by  varchar(255) not null,
    updated_at  timestamptz,
    updated_by  varchar(255)
);

-- PostgreSQL's cidr type refuses host bits beyond the prefix, and the exclusion constraint keeps
-- ranges from overlapping across all sites even if two writers race past the service's own check.
create table site_cidr (
    id      bigserial primary key,
    site_id bigint not null references site (id) on delete cascade,
    cidr    cidr   not null,
    constraint site_cidr_no_overlap exclude using gist (cidr inet_ops with &&)
);
create index site_cidr_site_idx on site_cidr (site_id);
