import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError, problemOf } from '../api/http';
import { ProblemAlert } from './ProblemAlert';

describe('ProblemAlert', () => {
  it('shows the detail of a problem+json answer', () => {
    const error = new ApiError({ status: 409, title: 'Conflict', detail: 'Release office-suite 2.4.1 is already published.' });
    render(<ProblemAlert error={error} />);
    expect(screen.getByText('Conflict')).toBeInTheDocument();
    expect(screen.getByText('Release office-suite 2.4.1 is already published.')).toBeInTheDocument();
  });

  it('repeats the error id of a server bug so it can be found in the log', () => {
    render(<ProblemAlert error={new ApiError({ status: 500, title: 'Internal error', detail: 'An unexpected error', errorId: 'e-42' })} />);
    expect(screen.getByText(/e-42/)).toBeInTheDocument();
  });

  it('shows something readable when the answer was not a problem (a proxy page)', async () => {
    const problem = await problemOf(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    render(<ProblemAlert error={new ApiError(problem)} />);
    expect(screen.getByText('Bad Gateway')).toBeInTheDocument();
  });

  it('shows nothing when there is no error', () => {
    const { container } = render(<ProblemAlert error={undefined} />);
    expect(container).toBeEmptyDOMElement();
  });
});
