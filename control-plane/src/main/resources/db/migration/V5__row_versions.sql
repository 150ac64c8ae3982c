-- Optimistic locking (@Version) for the rows several writers change at once: releases (publish,
-- revoke, manifest renewal) and deployments (agents' reports, cancels, revocations).
alter table release add column row_version bigint not null default 0;
alter table deployment add column row_version bigint not null default 0;
