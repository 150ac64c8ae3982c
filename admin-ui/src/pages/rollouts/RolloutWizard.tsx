import {
  Button,
  Checkbox,
  Content,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Radio,
  Split,
  SplitItem,
  Switch,
  TextInput,
  Wizard,
  WizardStep,
} from '@patternfly/react-core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { catalog } from '../../api/catalog';
import { rollouts } from '../../api/rollouts';
import { sites as sitesApi } from '../../api/sites';
import { useCan } from '../../auth/session';
import { Field } from '../../components/Field';
import { PageFrame } from '../../components/PageFrame';
import { Empty } from '../../components/PageStates';
import { ProblemAlert } from '../../components/ProblemAlert';
import { cronError } from './cron';
import { TargetCount } from './TargetCount';
import { EMPTY_ROLLOUT, lines, toRolloutRequest, validateRollout, words, type RolloutFormValues, type RolloutStep } from './rolloutForm';

/**
 * A new rollout, for the roles that may create one; a viewer who opens /rollouts/new by its
 * address is told so instead of being walked to a Start the API would refuse.
 */
export default function RolloutWizard() {
  return useCan('editRollouts') ? (
    <RolloutSteps />
  ) : (
    <PageFrame title="Create rollout">
      <Empty title="Your role may not create rollouts">Admins and operators create rollouts; you can follow them under Rollouts.</Empty>
    </PageFrame>
  );
}

/** A new rollout in four steps and a review; each step's Next stays off until the step is valid. */
function RolloutSteps() {
  const [v, setV] = useState<RolloutFormValues>(EMPTY_ROLLOUT);
  const navigate = useNavigate();
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: () => rollouts.create(toRolloutRequest(v)),
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: ['rollouts'] });
      navigate(`/rollouts/${r.id}`);
    },
  });
  const set = (change: Partial<RolloutFormValues>) => setV((old) => ({ ...old, ...change }));
  const errors = (step: RolloutStep) => validateRollout(v, step);
  const blocked = (step: RolloutStep) => Object.keys(errors(step)).length > 0;

  return (
    <PageFrame title="Create rollout">
      <Wizard onClose={() => navigate('/rollouts')} onSave={() => create.mutate()} height={560}>
        <WizardStep name="Release" id="step-release" footer={{ isNextDisabled: blocked('release') }}>
          <ReleaseStep values={v} set={set} errors={errors('release')} />
        </WizardStep>
        <WizardStep name="Targets" id="step-targets" footer={{ isNextDisabled: blocked('targets') }}>
          <TargetStep values={v} set={set} errors={errors('targets')} />
        </WizardStep>
        <WizardStep name="Waves" id="step-waves" footer={{ isNextDisabled: blocked('waves') }}>
          <WaveStep values={v} set={set} errors={errors('waves')} />
        </WizardStep>
        <WizardStep name="Rules and schedule" id="step-rules" footer={{ isNextDisabled: blocked('rules') }}>
          <RulesStep values={v} set={set} errors={errors('rules')} />
        </WizardStep>
        <WizardStep name="Review" id="step-review" footer={{ nextButtonText: 'Start rollout', isNextDisabled: create.isPending }}>
          <Review values={v} />
          <ProblemAlert error={create.error} title="The rollout was not created" />
        </WizardStep>
      </Wizard>
    </PageFrame>
  );
}

interface StepProps {
  values: RolloutFormValues;
  set: (change: Partial<RolloutFormValues>) => void;
  errors: Partial<Record<string, string>>;
}

function ReleaseStep({ values: v, set, errors }: StepProps) {
  const products = useQuery({ queryKey: ['products'], queryFn: catalog.products });
  const releases = useQuery({ queryKey: ['releases', v.product], queryFn: () => catalog.releases(v.product), enabled: !!v.product });
  const published = (releases.data ?? []).filter((r) => r.state === 'PUBLISHED');
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <FormGroup label="Product" fieldId="rollout-product" isRequired>
        <FormSelect id="rollout-product" value={v.product} onChange={(_e, product) => set({ product, version: '' })}>
          <FormSelectOption value="" label={products.isPending ? 'Loading…' : 'Pick a product'} isPlaceholder />
          {(products.data ?? []).map((p) => (
            <FormSelectOption key={p.name} value={p.name} label={p.name} />
          ))}
        </FormSelect>
      </FormGroup>
      <FormGroup label="Published release" fieldId="rollout-version" isRequired>
        <FormSelect
          id="rollout-version"
          value={v.version}
          isDisabled={!v.product}
          onChange={(_e, version) => set({ version, name: v.name || `${v.product} ${version}` })}
        >
          <FormSelectOption value="" label={v.product && !releases.isPending && published.length === 0 ? 'No published release' : 'Pick a release'} isPlaceholder />
          {published.map((r) => (
            <FormSelectOption key={r.version} value={r.version} label={r.version} />
          ))}
        </FormSelect>
      </FormGroup>
      <ProblemAlert error={products.error ?? releases.error} />
      <Field id="rollout-name" label="Name" isRequired value={v.name} onChange={(name) => set({ name })} error={v.name ? errors.name : undefined} />
    </Form>
  );
}

function TargetStep({ values: v, set, errors }: StepProps) {
  const sites = useQuery({ queryKey: ['sites'], queryFn: sitesApi.list });
  const toggle = (site: string, on: boolean) => set({ sites: on ? [...v.sites, site] : v.sites.filter((s) => s !== site) });
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <Content component="p">Active agents on any of the sites, carrying all of the labels, among the ids. Leave everything empty for every active agent.</Content>
      <FormGroup label="Sites" fieldId="rollout-sites" role="group">
        {(sites.data ?? []).length === 0 && <Content component="small">{sites.isPending ? 'Loading…' : 'No sites defined.'}</Content>}
        {(sites.data ?? []).map((s) => (
          <Checkbox key={s.name} id={`rollout-site-${s.name}`} label={s.name} isChecked={v.sites.includes(s.name)} onChange={(_e, on) => toggle(s.name, on)} />
        ))}
      </FormGroup>
      <ProblemAlert error={sites.error} />
      <Field id="rollout-labels" label="Labels" value={v.labels} onChange={(labels) => set({ labels })} help="Separated by commas or spaces; an agent must carry all of them." />
      <Field id="rollout-agent-ids" label="Agent ids" multiline value={v.agentIds} onChange={(agentIds) => set({ agentIds })} error={errors.agentIds} help="One per line." />
      <FormGroup fieldId="rollout-dynamic">
        <Switch id="rollout-dynamic" label="Dynamic: add agents that match later" isChecked={v.dynamic} onChange={(_e, dynamic) => set({ dynamic })} />
        <Content component="small">Agents enrolled later, or moved to a targeted site, join the last wave; the rollout then runs until it is cancelled.</Content>
      </FormGroup>
      <TargetCount values={v} />
    </Form>
  );
}

function WaveStep({ values: v, set, errors }: StepProps) {
  const change = (i: number, part: Partial<{ name: string; percent: string }>) => set({ waves: v.waves.map((w, j) => (j === i ? { ...w, ...part } : w)) });
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <Content component="p">
        Each wave takes a percent of the whole target, in a stable order, so the same machines lead every rollout. The last wave takes the rest.
      </Content>
      {v.waves.map((w, i) => {
        const last = i === v.waves.length - 1;
        return (
          <Split key={i} hasGutter>
            <SplitItem isFilled>
              <Field id={`wave-${i}-name`} label={`Wave ${i + 1} name`} value={w.name} onChange={(name) => change(i, { name })} error={errors[`wave-${i}-name`]} />
            </SplitItem>
            <SplitItem>
              {last ? (
                <FormGroup label="Share" fieldId={`wave-${i}-rest`}>
                  <Content component="p" id={`wave-${i}-rest`}>
                    the rest
                  </Content>
                </FormGroup>
              ) : (
                <Field id={`wave-${i}-percent`} label="Percent" type="number" value={w.percent} onChange={(percent) => change(i, { percent })} error={errors[`wave-${i}-percent`]} />
              )}
            </SplitItem>
            <SplitItem>
              <Button variant="plain" aria-label={`Remove wave ${i + 1}`} isDisabled={v.waves.length === 1} onClick={() => set({ waves: v.waves.filter((_, j) => j !== i) })}>
                ✕
              </Button>
            </SplitItem>
          </Split>
        );
      })}
      {errors.waves && <ProblemAlert error={new Error(errors.waves)} title="Waves" />}
      <TargetCount values={v} />
      <div>
        <Button variant="secondary" onClick={() => set({ waves: [...v.waves.slice(0, -1), { name: `wave ${v.waves.length}`, percent: '' }, v.waves[v.waves.length - 1]] })}>
          Add wave
        </Button>
      </div>
    </Form>
  );
}

function RulesStep({ values: v, set, errors }: StepProps) {
  return (
    <Form onSubmit={(e) => e.preventDefault()}>
      <Field id="rollout-success" label="Success threshold (%)" type="number" placeholder="100" value={v.successThreshold} onChange={(successThreshold) => set({ successThreshold })} error={errors.successThreshold} help="Share of a wave that must install before the next wave starts." />
      <Field id="rollout-error" label="Error threshold (%)" type="number" placeholder="0" value={v.errorThreshold} onChange={(errorThreshold) => set({ errorThreshold })} error={errors.errorThreshold} help="Share of a wave failing that pauses the rollout; 0: the first failure." />
      <Field id="rollout-timeout" label="Wave timeout (minutes)" type="number" value={v.waveTimeoutMinutes} onChange={(waveTimeoutMinutes) => set({ waveTimeoutMinutes })} error={errors.waveTimeoutMinutes} help="A wave still short of its success threshold this long pauses the rollout. Empty: no timeout." />
      <FormGroup label="Next wave" role="radiogroup" fieldId="rollout-advance" isInline>
        <Radio id="advance-auto" name="advance" label="Starts by itself" isChecked={v.advance === 'AUTO'} onChange={() => set({ advance: 'AUTO' })} />
        <Radio id="advance-manual" name="advance" label="Waits for Advance" isChecked={v.advance === 'MANUAL'} onChange={() => set({ advance: 'MANUAL' })} />
      </FormGroup>
      <FormGroup label="Mode" role="radiogroup" fieldId="rollout-mode" isInline>
        <Radio id="mode-install" name="mode" label="Install" isChecked={v.mode === 'INSTALL'} onChange={() => set({ mode: 'INSTALL' })} />
        <Radio id="mode-download" name="mode" label="Download only" isChecked={v.mode === 'DOWNLOAD_ONLY'} onChange={() => set({ mode: 'DOWNLOAD_ONLY' })} />
      </FormGroup>
      <FormGroup label="Start at" fieldId="rollout-start">
        <TextInput id="rollout-start" type="datetime-local" value={v.startAt} onChange={(_e, startAt) => set({ startAt })} validated={errors.startAt ? 'error' : 'default'} />
        <Content component="small">{errors.startAt ?? 'Your local time. Empty: the first wave starts at once.'}</Content>
      </FormGroup>
      <FormGroup fieldId="rollout-window">
        <Switch id="rollout-window" label="Install only in a maintenance window" isChecked={v.window} onChange={(_e, window) => set({ window })} />
        <Content component="small">Agents download at once, then wait in Downloaded until a window opens. An install that started inside the window finishes even if the window closes.</Content>
      </FormGroup>
      {v.window && (
        <>
          <Field
            id="rollout-window-cron"
            label="Window opens (cron)"
            isRequired
            value={v.windowCron}
            onChange={(windowCron) => set({ windowCron })}
            error={errors.windowCron}
            help={
              <>
                5 fields, as crontab reads them: minute hour day-of-month month day-of-week (0 or 7 is Sunday). Each field: a number, <code>*</code> (any),
                a range <code>1-5</code>, a list <code>1,3</code> or a step <code>*/15</code>. <code>0 22 * * 1-5</code>: 22:00 Monday to Friday;{' '}
                <code>30 1 * * 6,0</code>: 01:30 on weekends.
              </>
            }
          />
          <Field
            id="rollout-window-hours"
            label="Window stays open (hours)"
            isRequired
            type="number"
            value={v.windowHours}
            onChange={(windowHours) => set({ windowHours })}
            error={errors.windowHours}
            help="Elapsed time from each opening; 0.5 is 30 minutes, at most 168 (7 days)."
          />
          <Field
            id="rollout-window-timezone"
            label="Time zone of the cron"
            isRequired
            value={v.windowTimezone}
            onChange={(windowTimezone) => set({ windowTimezone })}
            error={errors.windowTimezone}
            help="An IANA id such as Europe/Berlin or UTC: the window follows that wall clock, summer time included."
          />
        </>
      )}
      <FormGroup label="Deadline" fieldId="rollout-deadline">
        <TextInput id="rollout-deadline" type="datetime-local" value={v.deadline} onChange={(_e, deadline) => set({ deadline })} validated={errors.deadline ? 'error' : 'default'} />
        <Content component="small">{errors.deadline ?? 'Your local time. From then on agents install even outside the window (not in download-only mode). Empty: no deadline.'}</Content>
      </FormGroup>
    </Form>
  );
}

function Review({ values: v }: { values: RolloutFormValues }) {
  const target = [v.sites.length && `sites ${v.sites.join(', ')}`, words(v.labels).length && `labels ${words(v.labels).join(', ')}`, lines(v.agentIds).length && `${lines(v.agentIds).length} agent ids`]
    .filter(Boolean)
    .join('; ');
  return (
    <Content>
      <p>
        <strong>{v.name}</strong>: {v.product} {v.version} to {target || 'every active agent'}.
      </p>
      <TargetCount values={v} />
      <ol>
        {v.waves.map((w, i) => (
          <li key={i}>
            {w.name}: {i === v.waves.length - 1 ? 'the rest' : `${w.percent} %`}
          </li>
        ))}
      </ol>
      <p>
        {v.successThreshold || 100} % must succeed; pause at {v.errorThreshold || 0} % failed; {v.advance === 'AUTO' ? 'waves follow by themselves' : 'each wave waits for Advance'};{' '}
        {v.waveTimeoutMinutes ? `waves time out after ${v.waveTimeoutMinutes} min` : 'no wave timeout'}; {v.mode === 'INSTALL' ? 'install' : 'download only'};{' '}
        {v.startAt ? `starts ${new Date(v.startAt).toLocaleString()}` : 'starts at once'}
        {v.window && !cronError(v.windowCron) ? `; installs only in windows opening at "${v.windowCron.trim()}" (${v.windowTimezone}) for ${v.windowHours} h` : ''}
        {v.deadline ? `; deadline ${new Date(v.deadline).toLocaleString()}` : ''}
        {v.dynamic ? '; agents that match later join the last wave' : ''}.
      </p>
    </Content>
  );
}
