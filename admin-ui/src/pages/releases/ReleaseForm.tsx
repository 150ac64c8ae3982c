import { FormSection } from '@patternfly/react-core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { catalog } from '../../api/catalog';
import { VERSION_RULE } from '../../api/names';
import type { Release } from '../../api/types';
import { Field } from '../../components/Field';
import { FormDialog } from '../../components/FormDialog';
import { EMPTY_RELEASE, toRequest, validateRelease, type ReleaseFormValues } from './releaseForm';

interface Props {
  product: string;
  onCreated: (release: Release) => void;
  onClose: () => void;
}

/** A new draft release and how agents install it. Errors show once a field has been touched. */
export function ReleaseForm({ product, onCreated, onClose }: Props) {
  const [values, setValues] = useState<ReleaseFormValues>(EMPTY_RELEASE);
  const [touched, setTouched] = useState<Partial<Record<keyof ReleaseFormValues, boolean>>>({});
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: () => catalog.createRelease(product, toRequest(values)),
    onSuccess: (release) => {
      void client.invalidateQueries({ queryKey: ['releases', product] });
      onCreated(release);
    },
  });
  const errors = validateRelease(values);
  const valid = Object.keys(errors).length === 0;
  const field = (name: keyof ReleaseFormValues) => ({
    id: `release-${name}`,
    value: values[name],
    onChange: (v: string) => {
      setValues((old) => ({ ...old, [name]: v }));
      setTouched((old) => ({ ...old, [name]: true }));
    },
    error: touched[name] ? errors[name] : undefined,
  });

  return (
    <FormDialog
      title={`New release of ${product}`}
      submitLabel="Create draft"
      canSubmit={valid}
      busy={create.isPending}
      error={create.error}
      onSubmit={() => create.mutate()}
      onClose={onClose}
    >
      <Field {...field('version')} label="Version" isRequired help={VERSION_RULE} />
      <Field {...field('notes')} label="Release notes" multiline />
      <FormSection title="Install" titleElement="h3">
        <p>
          What an agent does once every artifact has arrived and its checksum is verified. All optional: without them, agents only download the
          files.
        </p>
        <Field
          {...field('archive')}
          label="Archive"
          placeholder="office-suite-2.4.1.tar.gz"
          help="An artifact of this release (.zip, .tar.gz or .tgz) that agents unpack into the release folder first."
        />
        <Field
          {...field('command')}
          label="Install command"
          multiline
          placeholder={'./install.sh\n--quiet'}
          help="One argument per line (at most 64). Run in the release folder, never through a shell: no pipes, no variables."
        />
        <Field
          {...field('timeoutSeconds')}
          label="Timeout (seconds)"
          type="number"
          placeholder="300"
          help="How long the command may run before the install counts as failed (1 to 86400; 300 when empty)."
        />
        <Field
          {...field('healthCheck')}
          label="Health check"
          multiline
          placeholder={'./bin/office\n--version'}
          help="One argument per line; must exit 0 after installing, or the install counts as failed."
        />
      </FormSection>
    </FormDialog>
  );
}
