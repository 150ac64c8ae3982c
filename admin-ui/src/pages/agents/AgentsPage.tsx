import {
  FormSelect,
  FormSelectOption,
  Pagination,
  SearchInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { fleet } from '../../api/fleet';
import { sites } from '../../api/sites';
import type { AgentState } from '../../api/types';
import { bytes, when } from '../../components/format';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { StateLabel } from '../../components/StateLabel';
import { useUrlFilters } from '../../components/useUrlFilters';

const PER_PAGE = [20, 50, 100, 500];

/**
 * One page of agents at a time, filtered by the server; the filters and the page live in the URL.
 * The API gives no total, so the page asks for one agent more than it shows to know whether
 * there is a next page.
 */
export default function AgentsPage() {
  const [params, set] = useUrlFilters();
  const site = params.get('site') ?? '';
  const state = (params.get('state') ?? '') as AgentState | '';
  const labels = params.getAll('label');
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const perPage = PER_PAGE.includes(Number(params.get('perPage'))) ? Number(params.get('perPage')) : 50;
  const [labelText, setLabelText] = useState(labels.join(', '));

  const agents = useQuery({
    queryKey: ['agents', site, state, labels, page, perPage],
    queryFn: () => fleet.agents({ site: site || undefined, state, labels, offset: (page - 1) * perPage, limit: perPage + 1 }),
    placeholderData: keepPreviousData,
  });
  const siteList = useQuery({ queryKey: ['sites'], queryFn: sites.list });
  const rows = agents.data?.slice(0, perPage) ?? [];
  const hasNext = (agents.data?.length ?? 0) > perPage;
  const shownCount = (page - 1) * perPage + rows.length + (hasNext ? 1 : 0);

  return (
    <PageFrame title="Agents">
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <FormSelect aria-label="Site" value={site} onChange={(_e, v) => set({ site: v })}>
              <FormSelectOption value="" label="Every site" />
              {(siteList.data ?? []).map((s) => (
                <FormSelectOption key={s.name} value={s.name} label={s.name} />
              ))}
            </FormSelect>
          </ToolbarItem>
          <ToolbarItem>
            <FormSelect aria-label="State" value={state} onChange={(_e, v) => set({ state: v })}>
              <FormSelectOption value="" label="Any state" />
              <FormSelectOption value="ACTIVE" label="Active" />
              <FormSelectOption value="REVOKED" label="Revoked" />
            </FormSelect>
          </ToolbarItem>
          <ToolbarItem>
            <SearchInput
              aria-label="Labels"
              placeholder="Labels, e.g. finance, floor-3"
              value={labelText}
              onChange={(_e, v) => setLabelText(v)}
              onSearch={(_e, v) => set({ label: v.split(/[,\s]+/).filter(Boolean) })}
              onClear={() => {
                setLabelText('');
                set({ label: [] });
              }}
            />
          </ToolbarItem>
          <ToolbarItem variant="pagination">
            <Pagination
              itemCount={shownCount}
              page={page}
              perPage={perPage}
              perPageOptions={PER_PAGE.map((n) => ({ title: String(n), value: n }))}
              onSetPage={(_e, p) => set({ page: String(p) })}
              onPerPageSelect={(_e, n) => set({ perPage: String(n) })}
              toggleTemplate={({ firstIndex, lastIndex }) => (
                <>
                  <b>
                    {firstIndex} – {lastIndex}
                  </b>{' '}
                  of <b>{hasNext ? 'many' : shownCount}</b>
                </>
              )}
              isCompact
            />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <QueryView query={agents} what="agents">
        {() =>
          rows.length === 0 ? (
            <Empty title={site || state || labels.length || page > 1 ? 'No agents match' : 'No agents enrolled yet'}>
              {site || state || labels.length ? 'Change the filters above.' : 'Create an enrollment token and run the enroll command on a machine.'}
            </Empty>
          ) : (
            <Table aria-label="Agents" variant="compact">
              <Thead>
                <Tr>
                  <Th>Host</Th>
                  <Th>State</Th>
                  <Th>Site</Th>
                  <Th>Labels</Th>
                  <Th>Version</Th>
                  <Th>Last check-in</Th>
                  <Th>Address</Th>
                  <Th>Free disk</Th>
                </Tr>
              </Thead>
              <Tbody>
                {rows.map((a) => (
                  <Tr key={a.id}>
                    <Td dataLabel="Host">
                      <Link to={`/agents/${a.id}`}>{a.hostname}</Link>
                    </Td>
                    <Td dataLabel="State">
                      <StateLabel state={a.state} />
                    </Td>
                    <Td dataLabel="Site">{a.site ?? '—'}</Td>
                    <Td dataLabel="Labels">{a.labels.join(', ') || '—'}</Td>
                    <Td dataLabel="Version">{a.agentVersion ?? '—'}</Td>
                    <Td dataLabel="Last check-in">{when(a.lastCheckIn)}</Td>
                    <Td dataLabel="Address">{a.lastAddress ?? '—'}</Td>
                    <Td dataLabel="Free disk">{bytes(a.freeDiskBytes)}</Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )
        }
      </QueryView>
    </PageFrame>
  );
}
