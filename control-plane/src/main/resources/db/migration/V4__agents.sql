-- Fleet: enrollment tokens, enrolled agents, and one deployment per agent and release.
-- Sites are referenced by name, as passkeys do: deleting a site leaves its agents on no site.

create table enrollment_token (
    id         uuid         primary key,
    -- SHA-256 (hex) of the token value; the value itself is shown once and never stored.
    token_hash varchar(64)  not null unique,
    uses_total integer      not null check (uses_total between 1 and 10000),
    uses_left  integer      not null check (uses_left between 0 and uses_total),
    expires_at timestamptz  not null,
    site       varchar(64),
    labels     varchar(64)[] not null default '{}',
    created_at timestamptz  not null,
    created_by varchar(255) not null,
    revoked_at timestamptz,
    revoked_by varchar(255)
);

create table agent (
    id                  uuid         primary key,
    -- The agent's own Keycloak confidential client: bearer tokens name it in azp.
    client_id           varchar(255) not null unique,
    hostname            varchar(255) not null,
    agent_version       varchar(64),
    -- The effective site; pinned_site is the enrollment token's, which wins over the address.
    site                varchar(64),
    pinned_site         varchar(64),
    labels              varchar(64)[] not null default '{}',
    state               varchar(16)  not null,
    passkey             varchar(64)  not null,
    enrollment_token_id uuid         references enrollment_token (id),
    enrolled_at         timestamptz  not null,
    last_check_in       timestamptz,
    last_address        varchar(64),
    free_disk_bytes     bigint,
    -- The installed releases of the last check-in, as JSON: read whole, never queried inside.
    installed_json      text         not null default '[]',
    revoked_at          timestamptz,
    revoked_by          varchar(255),
    constraint agent_state_check check (state in ('ACTIVE', 'REVOKED'))
);
create index agent_site_idx on agent (site);
create index agent_labels_idx on agent using gin (labels);

create table deployment (
    id               uuid          primary key,
    agent_id         uuid          not null references agent (id),
    release_id       bigint        not null references release (id),
    state            varchar(16)   not null,
    bytes_done       bigint        not null default 0,
    bytes_total      bigint        not null default 0,
    bytes_same_site  bigint        not null default 0,
    bytes_other_site bigint        not null default 0,
    bytes_origin     bigint        not null default 0,
    bytes_web_seed   bigint        not null default 0,
    reason           varchar(64),
    detail           varchar(1000),
    exit_code        integer,
    output           text,
    created_at       timestamptz   not null,
    created_by       varchar(255)  not null,
    updated_at       timestamptz   not null,
    -- Also the index check-in reads an agent's deployments by.
    constraint deployment_agent_release_unique unique (agent_id, release_id),
    constraint deployment_state_check check (state in
        ('PENDING', 'DOWNLOADING', 'DOWNLOADED', 'INSTALLING', 'INSTALLED', 'FAILED', 'CANCELLED'))
);
create index deployment_release_idx on deployment (release_id);
