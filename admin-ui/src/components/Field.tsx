import { FormGroup, FormHelperText, HelperText, HelperTextItem, TextArea, TextInput } from '@patternfly/react-core';
import type { ReactNode } from 'react';

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Shown in red under the field; the field is marked invalid. */
  error?: string;
  help?: ReactNode;
  isRequired?: boolean;
  multiline?: boolean;
  type?: 'text' | 'number';
  placeholder?: string;
}

/** A labelled text field with inline validation. */
export function Field({ id, label, value, onChange, error, help, isRequired, multiline, type = 'text', placeholder }: Props) {
  const validated = error ? 'error' : 'default';
  return (
    <FormGroup label={label} fieldId={id} isRequired={isRequired}>
      {multiline ? (
        <TextArea id={id} value={value} onChange={(_e, v) => onChange(v)} validated={validated} placeholder={placeholder} resizeOrientation="vertical" />
      ) : (
        <TextInput id={id} type={type} value={value} onChange={(_e, v) => onChange(v)} validated={validated} isRequired={isRequired} placeholder={placeholder} />
      )}
      {(error || help) && (
        <FormHelperText>
          <HelperText>
            <HelperTextItem variant={error ? 'error' : 'default'}>{error ?? help}</HelperTextItem>
          </HelperText>
        </FormHelperText>
      )}
    </FormGroup>
  );
}
