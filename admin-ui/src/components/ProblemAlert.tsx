import { Alert } from '@patternfly/react-core';
import { ApiError } from '../api/http';

/** Shows why a call failed: the problem+json `detail`, and the error id of a server bug. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  const heading = title ?? problem?.title ?? 'Something went wrong';
  const detail = problem ? problem.detail ?? problem.title ?? `HTTP ${problem.status}` : error instanceof Error ? error.message : String(error);
  return (
    <Alert variant={problem && problem.status < 500 && problem.status > 0 ? 'warning' : 'danger'} isInline title={heading}>
      <p>{detail}</p>
      {problem?.errorId && <p>Error id (in the control plane's log): {problem.errorId}</p>}
    </Alert>
  );
}
