-- Catalogue: products, releases, artifacts. Enums are stored by name.
create table product (
    id            bigserial primary key,
    name          varchar(64)  not null unique,
    description   varchar(1000),
    last_sequence bigint       not null default 0,
    created_at    timestamptz  not null,
    created_by    varchar(255) not null
);

create table release (
    id           bigserial primary key,
    product_id   bigint       not null references product (id),
    version      varchar(64)  not null,
    notes        varchar(10000),
    install_json text,
    state        varchar(16)  not null,
    sequence     bigint,
    manifest     bytea,
    manifest_sig bytea,
    key_id       varchar(32),
    created_at   timestamptz  not null,
    created_by   varchar(255) not null,
    published_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    constraint release_version_unique unique (product_id, version),
    constraint release_state_check check (state in ('DRAFT', 'PUBLISHED', 'REVOKED'))
);
create index release_expiry_idx on release (expires_at) where state = 'PUBLISHED';

create table artifact (
    id             bigserial primary key,
    release_id     bigint       not null references release (id),
    name           varchar(128) not null,
    size           bigint       not null,
    sha256         varchar(64)  not null,
    piece_length   integer      not null,
    v1_pieces      bytea        not null,
    v2_piece_layer bytea        not null,
    v2_pieces_root bytea        not null,
    info_dict      bytea,
    info_hash_v1   varchar(40),
    info_hash_v2   varchar(64),
    blob_key       varchar(512) not null,
    created_at     timestamptz  not null,
    constraint artifact_name_unique unique (release_id, name)
);
-- Not unique: an explicit rollback re-publishes the same bytes under a new version, same swarm.
create index artifact_info_hash_v1_idx on artifact (info_hash_v1);
create index artifact_info_hash_v2_idx on artifact (info_hash_v2);

-- A tracker passkey names one holder (an agent, or an admin for manual downloads) and can be revoked.
create table passkey (
    id         bigserial primary key,
    passkey    varchar(64)  not null unique,
    owner      varchar(255) not null,
    label      varchar(255),
    created_at timestamptz  not null,
    revoked_at timestamptz
);
create index passkey_owner_idx on passkey (owner);

create table audit_entry (
    id       bigserial primary key,
    at       timestamptz   not null,
    actor    varchar(255)  not null,
    action   varchar(16)   not null,
    target   varchar(1000) not null,
    status   integer       not null,
    outcome  varchar(16)   not null,
    detail   varchar(1000)
);
create index audit_entry_at_idx on audit_entry (at desc);
