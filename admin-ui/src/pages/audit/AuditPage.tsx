import { Button, FormSelect, FormSelectOption, SearchInput, TextInput, Toolbar, ToolbarContent, ToolbarItem } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { audit } from '../../api/audit';
import { when } from '../../components/format';
import { ClearFilters } from '../../components/ListToolbar';
import { PageFrame } from '../../components/PageFrame';
import { Empty, QueryView } from '../../components/PageStates';
import { useUrlFilters } from '../../components/useUrlFilters';

const LIMITS = [100, 500, 1000];

/** A datetime-local value (the browser's time zone) as an ISO instant; empty or unreadable: none. */
export function instantOf(local: string): string | undefined {
  if (!local) return undefined;
  const t = new Date(local);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/**
 * The newest entries, filtered by the server by actor, action and time range, paged back in time
 * ("Older entries"); the outcome is filtered among the entries loaded. The filters live in the URL.
 */
export default function AuditPage() {
  const [params, setFilters] = useUrlFilters();
  const actor = params.get('actor') ?? '';
  const action = params.get('action') ?? '';
  const outcome = params.get('outcome') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const before = Number(params.get('before')) || undefined;
  const limit = LIMITS.includes(Number(params.get('limit'))) ? Number(params.get('limit')) : 100;
  const [actorText, setActorText] = useState(actor);
  // Any filter change starts again from the newest entries.
  const set = (key: string, value: string) => setFilters({ [key]: value, before: undefined });
  const entries = useQuery({
    queryKey: ['audit', actor, action, from, to, before, limit],
    queryFn: () => audit.recent({ limit, actor: actor || undefined, action: action || undefined, from: instantOf(from), to: instantOf(to), before }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(actor || action || outcome || from || to);
  const loaded = entries.data ?? [];
  return (
    <PageFrame title="Audit log">
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <SearchInput
              aria-label="Actor"
              placeholder="Actor (exact user name)"
              value={actorText}
              onChange={(_e, v) => setActorText(v)}
              onSearch={(_e, v) => set('actor', v.trim())}
              onClear={() => {
                setActorText('');
                set('actor', '');
              }}
            />
          </ToolbarItem>
          <ToolbarItem>
            <FormSelect aria-label="Action" value={action} onChange={(_e, v) => set('action', v)}>
              <FormSelectOption value="" label="Any action" />
              {['POST', 'PUT', 'DELETE', 'PATCH'].map((a) => (
                <FormSelectOption key={a} value={a} label={a} />
              ))}
            </FormSelect>
          </ToolbarItem>
          <ToolbarItem>
            <TextInput type="datetime-local" aria-label="From" value={from} onChange={(_e, v) => set('from', v)} />
          </ToolbarItem>
          <ToolbarItem>
            <TextInput type="datetime-local" aria-label="To" value={to} onChange={(_e, v) => set('to', v)} />
          </ToolbarItem>
          <ToolbarItem>
            <FormSelect aria-label="Outcome" value={outcome} onChange={(_e, v) => set('outcome', v)}>
              <FormSelectOption value="" label="Any outcome" />
              <FormSelectOption value="SUCCESS" label="Succeeded" />
              <FormSelectOption value="FAILURE" label="Failed" />
              <FormSelectOption value="DENIED" label="Refused (401, 403)" />
            </FormSelect>
          </ToolbarItem>
          <ToolbarItem>
            <FormSelect aria-label="Entries" value={String(limit)} onChange={(_e, v) => set('limit', v)}>
              {LIMITS.map((n) => (
                <FormSelectOption key={n} value={String(n)} label={`${n} per page`} />
              ))}
            </FormSelect>
          </ToolbarItem>
          {filtered && (
            <ClearFilters
              onClear={() => {
                setActorText('');
                setFilters({ actor: undefined, action: undefined, outcome: undefined, from: undefined, to: undefined, before: undefined });
              }}
            />
          )}
          <ToolbarItem>
            {before !== undefined && (
              <Button variant="link" onClick={() => setFilters({ before: undefined })}>
                Newest entries
              </Button>
            )}
            <Button
              variant="secondary"
              isDisabled={loaded.length < limit}
              onClick={() => setFilters({ before: String(loaded[loaded.length - 1].id) })}
            >
              Older entries
            </Button>
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <QueryView query={entries} what="the audit log">
        {(all) => {
          const shown = all.filter((e) => !outcome || e.outcome === outcome);
          return shown.length === 0 ? (
            <Empty title="No entries">{filtered || before ? 'Nothing matches the filters.' : 'Nothing has been changed yet.'}</Empty>
          ) : (
            <Table aria-label="Audit log" variant="compact">
              <Thead>
                <Tr>
                  <Th>When</Th>
                  <Th>Actor</Th>
                  <Th>Action</Th>
                  <Th>Target</Th>
                  <Th>Status</Th>
                  <Th>Detail</Th>
                </Tr>
              </Thead>
              <Tbody>
                {shown.map((e) => (
                  <Tr key={e.id}>
                    <Td dataLabel="When">{when(e.at)}</Td>
                    <Td dataLabel="Actor">{e.actor}</Td>
                    <Td dataLabel="Action">{e.action}</Td>
                    <Td dataLabel="Target">
                      <code>{e.target}</code>
                    </Td>
                    <Td dataLabel="Status">
                      {e.status} {e.outcome.toLowerCase()}
                    </Td>
                    <Td dataLabel="Detail">{e.detail ?? ''}</Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          );
        }}
      </QueryView>
    </PageFrame>
  );
}
