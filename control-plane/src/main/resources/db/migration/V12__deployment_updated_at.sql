-- Each control-plane replica reads the deployments changed in the last minute every second, to
-- drop what its check-in cache holds of them (deployment/PendingDeployments).
create index deployment_updated_at_idx on deployment (updated_at);
