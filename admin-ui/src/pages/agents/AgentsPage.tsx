import { FormSelect, FormSelectOption, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { fleet } from '../../api/fleet';
import { sites } from '../../api/sites';
import type { AgentState } from '../../api/types';
import { bytes, when } from '../../components/format';
import { ClearFilters, paging, SearchFilter, UrlPagination } from '../../components/ListToolbar';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { StateLabel } from '../../components/StateLabel';
import { useUrlFilters } from '../../components/useUrlFilters';

/** How long typing pauses before the search is sent: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * One page of agents at a time, searched and filtered by the server, which also says how many
 * match in all; the search, the filters and the page live in the URL, so a filtered list can be linked.
 */
export default function AgentsPage() {
  const [params, set] = useUrlFilters();
  const q = params.get('q') ?? '';
  const site = params.get('site') ?? '';
  const state = (params.get('state') ?? '') as AgentState | '';
  const labels = params.getAll('label');
  const installed = params.get('installed') ?? '';
  const { page, perPage } = paging(params);
  const [searchText, setSearchText] = useState(q);
  const [labelText, setLabelText] = useState(labels.join(', '));
  const [installedText, setInstalledText] = useState(installed);
  const filtered = Boolean(q || site || state || labels.length || installed);

  // The search is sent once typing pauses; the latest `set` is kept in a ref so the timer uses it.
  const setRef = useRef(set);
  setRef.current = set;
  useEffect(() => {
    const text = searchText.trim();
    if (text === q) return undefined;
    const timer = setTimeout(() => setRef.current({ q: text }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchText, q]);

  const agents = useQuery({
    queryKey: ['agents', q, site, state, labels, installed, page, perPage],
    queryFn: () =>
      fleet.agentPage({ q: q || undefined, site: site || undefined, state, labels, installed: installed || undefined, offset: (page - 1) * perPage, limit: perPage }),
    placeholderData: keepPreviousData,
  });
  const siteList = useQuery({ queryKey: ['sites'], queryFn: sites.list });
  const rows = agents.data?.items ?? [];
  const total = agents.data?.total ?? 0;

  const clearAll = () => {
    setSearchText('');
    setLabelText('');
    setInstalledText('');
    set({ q: undefined, site: undefined, state: undefined, label: [], installed: undefined });
  };

  return (
    <PageFrame title="Agents">
      <Toolbar>
        <ToolbarContent>
          <SearchFilter label="Search agents" placeholder="Hostname or id" text={searchText} onText={setSearchText} onSearch={(v) => set({ q: v })} />
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
          <SearchFilter
            label="Labels"
            placeholder="Labels, e.g. finance, floor-3"
            text={labelText}
            onText={setLabelText}
            onSearch={(v) => set({ label: (v ?? '').split(/[,\s]+/).filter(Boolean) })}
          />
          <SearchFilter
            label="Installed release"
            placeholder="Installed, e.g. office-suite@2.4.1"
            text={installedText}
            onText={setInstalledText}
            onSearch={(v) => set({ installed: v })}
          />
          {filtered && <ClearFilters onClear={clearAll} />}
          <ToolbarItem alignSelf="center">
            <span data-testid="agent-total">{agents.data ? `${total} ${total === 1 ? 'agent' : 'agents'}${filtered ? ' match' : ''}` : ''}</span>
          </ToolbarItem>
          <UrlPagination total={total} page={page} perPage={perPage} set={set} />
        </ToolbarContent>
      </Toolbar>
      <QueryView query={agents} what="agents">
        {() =>
          rows.length === 0 ? (
            <Empty title={filtered || page > 1 ? 'No agents match' : 'No agents enrolled yet'}>
              {filtered ? 'Change or clear the filters above.' : 'Create an enrollment token and run the enroll command on a machine.'}
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
