-- Webhooks: rollout events pushed to a team's HTTP endpoint (package webhook). The deliveries
-- are the source of truth for what is still to send, so a restart or another replica carries on
-- from these rows.
create table webhook (
    id          uuid          primary key,
    url         varchar(2048) not null,
    -- Which rollout_event types this hook receives (rollout, wave, deployment, summary).
    events      text[]        not null,
    -- The HMAC key of X-Starling-Signature (none: deliveries go unsigned). Kept as given: signing
    -- needs the key itself, so it is never returned by the API.
    secret      varchar(256),
    created_at  timestamptz   not null,
    created_by  varchar(255)  not null
);

create table webhook_delivery (
    id              uuid         primary key,
    webhook_id      uuid         not null references webhook (id) on delete cascade,
    -- The rollout_event sent; null for a ping. No foreign key: old events are deleted by retention.
    event_id        bigint,
    event_type      varchar(16)  not null,
    state           varchar(16)  not null,
    attempts        integer      not null default 0,
    -- When the next attempt is due; while an attempt runs, when it counts as lost (the lease).
    next_attempt_at timestamptz,
    last_status     integer,
    last_error      varchar(500),
    delivered_at    timestamptz,
    created_at      timestamptz  not null,
    constraint webhook_delivery_state_check check (state in ('PENDING', 'DELIVERED', 'FAILED'))
);
-- What the senders claim: the due pending deliveries, oldest first.
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where state = 'PENDING';
-- A hook's delivery log, newest first.
create index webhook_delivery_hook_idx on webhook_delivery (webhook_id, created_at desc);

-- One delivery per hook that wants the event, written in the transaction that records the event:
-- a rolled back change enqueues nothing, a committed one cannot be missed, and nothing scans the
-- event table for what it has not sent yet. Without hooks this is a lookup in an empty table.
create function webhook_enqueue() returns trigger language plpgsql as $$
begin
    insert into webhook_delivery (id, webhook_id, event_id, event_type, state, attempts, next_attempt_at, created_at)
    select gen_random_uuid(), w.id, new.id, new.type, 'PENDING', 0, new.created_at, new.created_at
    from webhook w where new.type = any (w.events);
    return null;
end
$$;

create trigger rollout_event_webhooks after insert on rollout_event
    for each row execute function webhook_enqueue();
