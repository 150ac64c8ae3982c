import { Button, Flex, FlexItem, Progress, ProgressMeasureLocation, ProgressVariant } from '@patternfly/react-core';
import { ProblemAlert } from './ProblemAlert';
import { bytes, duration } from './format';

export type UploadStatus = 'uploading' | 'done' | 'failed' | 'cancelled';

export interface UploadState {
  id: number;
  name: string;
  loaded: number;
  total: number;
  bytesPerSecond: number;
  status: UploadStatus;
  error?: unknown;
}

/** One file on its way up: how far, how fast, how long still, and a way to stop it. */
export function UploadProgress({ upload, onCancel }: { upload: UploadState; onCancel: () => void }) {
  const percent = upload.total > 0 ? Math.floor((upload.loaded / upload.total) * 100) : 0;
  const left = upload.bytesPerSecond > 0 ? (upload.total - upload.loaded) / upload.bytesPerSecond : NaN;
  const variant =
    upload.status === 'done' ? ProgressVariant.success : upload.status === 'failed' ? ProgressVariant.danger : upload.status === 'cancelled' ? ProgressVariant.warning : undefined;
  const helper =
    upload.status === 'uploading'
      ? `${bytes(upload.loaded)} of ${bytes(upload.total)} · ${bytes(upload.bytesPerSecond)}/s · ${duration(left)} left`
      : upload.status === 'done'
        ? `${bytes(upload.total)} uploaded`
        : upload.status === 'cancelled'
          ? 'Cancelled'
          : 'Failed';
  return (
    <Flex direction={{ default: 'column' }} spaceItems={{ default: 'spaceItemsSm' }}>
      <Flex alignItems={{ default: 'alignItemsFlexEnd' }}>
        <FlexItem grow={{ default: 'grow' }}>
          <Progress
            value={percent}
            title={upload.name}
            variant={variant}
            measureLocation={ProgressMeasureLocation.outside}
            helperText={helper}
            aria-label={`Upload of ${upload.name}`}
          />
        </FlexItem>
        {upload.status === 'uploading' && (
          <FlexItem>
            <Button variant="secondary" onClick={onCancel} aria-label={`Cancel upload of ${upload.name}`}>
              Cancel
            </Button>
          </FlexItem>
        )}
      </Flex>
      {upload.status === 'failed' && <ProblemAlert error={upload.error} title={`Upload of ${upload.name} failed`} />}
    </Flex>
  );
}
