import { Button, Content } from '@patternfly/react-core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { rollouts, type Rollout } from '../../api/rollouts';
import { Allowed, useSession } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { ProblemAlert } from '../../components/ProblemAlert';

/**
 * Approve and Deny for a rollout waiting for approval: admins only, and never its creator (the API
 * answers 403 then; the console says why instead of offering the buttons). Deny asks first.
 */
export function ApprovalActions({ rollout: r }: { rollout: Rollout }) {
  const { username } = useSession();
  const client = useQueryClient();
  const [denying, setDenying] = useState(false);
  const [comment, setComment] = useState('');
  const decide = useMutation({
    mutationFn: (what: 'approve' | 'deny') => rollouts.decide(r.id, what, comment.trim() || undefined),
    onSuccess: (updated) => {
      client.setQueryData(['rollout', r.id], updated);
      void client.invalidateQueries({ queryKey: ['rollouts'] });
      setDenying(false);
    },
  });
  return (
    <Allowed to="decideRollouts">
      {r.createdBy === username ? (
        <Content component="small">You created this rollout: another admin must approve or deny it.</Content>
      ) : (
        <>
          <Button variant="primary" isDisabled={decide.isPending} onClick={() => decide.mutate('approve')}>
            Approve
          </Button>
          <Button variant="danger" isDisabled={decide.isPending} onClick={() => setDenying(true)}>
            Deny
          </Button>
          {!denying && <ProblemAlert error={decide.error} title="The rollout refused that" />}
        </>
      )}
      {denying && (
        <ConfirmDialog
          title={`Deny ${r.name}?`}
          confirmLabel="Deny rollout"
          danger
          busy={decide.isPending}
          error={decide.error}
          onConfirm={() => decide.mutate('deny')}
          onClose={() => {
            setDenying(false);
            decide.reset();
          }}
        >
          <Content component="p">The rollout ends denied and no agent gets anything. {r.createdBy} would have to create it again.</Content>
          <Field id="deny-comment" label="Comment (optional)" multiline value={comment} onChange={setComment} help={`Shown to ${r.createdBy} with the rollout.`} />
        </ConfirmDialog>
      )}
    </Allowed>
  );
}
