-- A deployment's install policy, given by the rollout that created it (deployments know nothing
-- of rollouts): download only (cleared by the rollout's /install), a maintenance window (a Unix
-- cron expression read on the wall clock of a time zone, open for a duration) and a deadline
-- from which agents install even outside the window. Check-in answers turn the window into the
-- next concrete opening and closing times.
alter table deployment add column download_only boolean not null default false;
alter table deployment add column window_cron varchar(128);
alter table deployment add column window_duration_seconds bigint;
alter table deployment add column window_timezone varchar(64);
alter table deployment add column install_deadline timestamptz;
alter table deployment add constraint deployment_window_check check (
    (window_cron is null) = (window_duration_seconds is null)
    and (window_cron is null) = (window_timezone is null));
