-- Rollouts: a release sent to a target in waves, with thresholds deciding when to go on or stop.
-- Every decision a rollout takes is stored here, so a control plane that restarts (or another
-- replica) carries on from these rows. Enums are stored by name.

create table rollout (
    id                      uuid          primary key,
    row_version             bigint        not null default 0,
    name                    varchar(128)  not null,
    release_id              bigint        not null references release (id),
    state                   varchar(24)   not null,
    pause_reason            varchar(24),
    pause_detail            varchar(2000),
    success_threshold       integer       not null check (success_threshold between 0 and 100),
    error_threshold         integer       not null check (error_threshold between 0 and 100),
    wave_timeout_seconds    bigint,
    advance                 varchar(16)   not null,
    mode                    varchar(16)   not null,
    start_at                timestamptz,
    deadline                timestamptz,
    -- What the request said, as JSON: read whole for display, never queried inside.
    target_json             text          not null,
    maintenance_window_json text,
    dynamic                 boolean       not null default false,
    created_at              timestamptz   not null,
    created_by              varchar(255)  not null,
    started_at              timestamptz,
    finished_at             timestamptz,
    updated_at              timestamptz   not null,
    constraint rollout_state_check check (state in
        ('WAITING_FOR_APPROVAL', 'SCHEDULED', 'RUNNING', 'PAUSED', 'FINISHED', 'CANCELLED')),
    constraint rollout_pause_reason_check check (pause_reason in
        ('OPERATOR', 'ERROR_THRESHOLD', 'WAVE_TIMEOUT', 'RELEASE_REVOKED')),
    constraint rollout_advance_check check (advance in ('AUTO', 'MANUAL')),
    constraint rollout_mode_check check (mode in ('INSTALL', 'DOWNLOAD_ONLY'))
);
-- The scheduled pass reads the rollouts that may have something to decide.
create index rollout_open_idx on rollout (state) where state in ('SCHEDULED', 'RUNNING');

create table rollout_wave (
    id                bigserial     primary key,
    row_version       bigint        not null default 0,
    rollout_id        uuid          not null references rollout (id),
    position          integer       not null,
    name              varchar(64)   not null,
    selector_json     text          not null,
    success_threshold integer       not null check (success_threshold between 0 and 100),
    error_threshold   integer       not null check (error_threshold between 0 and 100),
    state             varchar(16)   not null,
    agent_count       integer       not null,
    started_at        timestamptz,
    times_out_at      timestamptz,
    finished_at       timestamptz,
    constraint rollout_wave_position_unique unique (rollout_id, position),
    constraint rollout_wave_name_unique unique (rollout_id, name),
    constraint rollout_wave_state_check check (state in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'))
);

-- Which agent is in which wave, decided once when the rollout is created; the deployment once
-- its wave has started. Membership lives here, not on the deployment: deployments know nothing
-- of rollouts.
create table rollout_agent (
    id            bigserial primary key,
    rollout_id    uuid      not null references rollout (id),
    wave_id       bigint    not null references rollout_wave (id),
    agent_id      uuid      not null references agent (id),
    deployment_id uuid      references deployment (id),
    constraint rollout_agent_unique unique (rollout_id, agent_id)
);
create index rollout_agent_wave_idx on rollout_agent (wave_id);
-- A deployment's status report finds the rollouts it belongs to by this.
create index rollout_agent_deployment_idx on rollout_agent (deployment_id);
