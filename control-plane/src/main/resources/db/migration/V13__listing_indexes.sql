-- The console pages through 10,000s of agents, filtered by what they have installed and
-- searched by hostname: the installed releases are queried as JSON (containment, @>) and
-- listings are ordered newest enrollment first.
create index agent_installed_idx on agent using gin ((installed_json::jsonb) jsonb_path_ops);
create index agent_enrolled_idx on agent (enrolled_at desc, id);
-- The audit log is paged newest first (by id) and most often filtered by who acted.
create index audit_entry_actor_idx on audit_entry (actor, id desc);
