-- What happened to rollouts, in the order it happened: the live feed (GET /api/v1/rollouts/{id}/events,
-- GET /api/v1/events) reads these rows, and their id is the Server-Sent Events id a client resumes
-- from with Last-Event-ID. A row is written in the transaction of the change it describes, so a
-- rollback leaves none behind and a crash loses none; every replica serves the same feed.
create table rollout_event (
    id         bigint       generated always as identity primary key,
    -- No foreign key: a rollout's first event is written while the rollout's own row may still
    -- wait in Hibernate's session for the transaction's flush.
    rollout_id uuid         not null,
    type       varchar(16)  not null,
    -- What changed: from/to states, the wave, the agent; for summaries the rollout's counts.
    payload    jsonb        not null,
    created_at timestamptz  not null,
    constraint rollout_event_type_check check (type in ('rollout', 'wave', 'deployment', 'summary'))
);
-- One rollout's feed, and the replay after a Last-Event-ID.
create index rollout_event_rollout_idx on rollout_event (rollout_id, id);
-- When did this rollout last get a summary (at most one every few seconds)?
create index rollout_event_summary_idx on rollout_event (rollout_id, id) where type = 'summary';
-- The retention delete. Rows arrive in time order, so a BRIN index is enough, and costs the
-- hot path (one insert per deployment change) next to nothing.
create index rollout_event_created_idx on rollout_event using brin (created_at);
