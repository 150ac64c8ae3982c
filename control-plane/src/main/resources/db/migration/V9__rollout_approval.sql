-- Approvals: with starling.rollouts.approval-required on, a rollout waits for an admin other than
-- its creator. DENIED is a final state of its own; who decided, when and why is kept on the row.
alter table rollout drop constraint rollout_state_check;
alter table rollout add constraint rollout_state_check check (state in
    ('WAITING_FOR_APPROVAL', 'SCHEDULED', 'RUNNING', 'PAUSED', 'FINISHED', 'CANCELLED', 'DENIED'));
alter table rollout add column decided_by varchar(255);
alter table rollout add column decided_at timestamptz;
alter table rollout add column decision_comment varchar(1000);
-- The dynamic rollouts that may still grow, read when an agent enrolls or changes site.
create index rollout_dynamic_open_idx on rollout (state) where dynamic and state not in ('FINISHED', 'CANCELLED', 'DENIED');
