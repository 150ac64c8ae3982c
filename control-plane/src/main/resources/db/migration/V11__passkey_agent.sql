-- Which agent a passkey belongs to, if any: revoking the agent revokes every passkey it owns in
-- one statement, and the web seed serves an agent's passkey only the releases deployed to it.
alter table passkey add column agent_id uuid;
create index passkey_agent_idx on passkey (agent_id) where agent_id is not null;

-- The passkey issued at enrollment is owned by 'agent:<agent id>'.
update passkey p set agent_id = a.id
    from agent a where p.owner = 'agent:' || a.id::text;

-- Before agents were refused personal passkeys, an agent that asked for a .torrent without
-- ?passkey= got one owned by its client (or its service account). They belong to the agent, and
-- none of them was ever needed (agents get torrents through the agent API): revoke them.
update passkey p set agent_id = a.id, revoked_at = coalesce(p.revoked_at, now())
    from agent a
    where p.agent_id is null and p.owner in (a.client_id, 'service-account-' || a.client_id);

-- Passkeys of agents revoked before this migration stay revoked with them.
update passkey p set revoked_at = coalesce(a.revoked_at, now())
    from agent a
    where p.agent_id = a.id and a.state = 'REVOKED' and p.revoked_at is null;
