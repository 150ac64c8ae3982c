import { Button, Form, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import type { FormEvent, ReactNode } from 'react';
import { ProblemAlert } from './ProblemAlert';

interface Props {
  title: string;
  submitLabel: string;
  busy?: boolean;
  canSubmit?: boolean;
  error?: unknown;
  variant?: 'small' | 'medium' | 'large';
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
}

/** A form in a modal; the API's refusal shows above the buttons and the form stays filled in. */
export function FormDialog({ title, submitLabel, busy, canSubmit = true, error, variant = 'medium', onSubmit, onClose, children }: Props) {
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (canSubmit && !busy) onSubmit();
  };
  return (
    <Modal variant={variant} isOpen onClose={onClose} aria-labelledby="form-title">
      <ModalHeader title={title} labelId="form-title" />
      <ModalBody>
        <Form id="dialog-form" onSubmit={submit}>
          {children}
          <ProblemAlert error={error} />
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button type="submit" form="dialog-form" variant="primary" isDisabled={!canSubmit || busy} isLoading={busy}>
          {submitLabel}
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
