import { Button, Flex, Stack, StackItem } from '@patternfly/react-core';
import { UploadIcon } from '@patternfly/react-icons/dist/esm/icons/upload-icon';
import { useRef, useState, type DragEvent } from 'react';
import { artifactPath } from '../api/catalog';
import { partsTo, RateMeter, UploadCancelled, uploadInParts } from '../api/upload';
import { UploadProgress, type UploadState } from './UploadProgress';

interface Props {
  product: string;
  version: string;
  onUploaded: () => void;
}

let nextId = 1;

/**
 * Drop files here (or pick them): each one goes up at once, in parts with several requests in
 * flight, streamed from disk by the browser, with one progress bar and cancel button.
 */
export function ArtifactUploader({ product, version, onUploaded }: Props) {
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const [dragging, setDragging] = useState(false);
  const cancels = useRef(new Map<number, () => void>());
  const input = useRef<HTMLInputElement>(null);

  const update = (id: number, change: Partial<UploadState>) => setUploads((all) => all.map((u) => (u.id === id ? { ...u, ...change } : u)));

  const start = async (file: File) => {
    const id = nextId++;
    setUploads((all) => [...all, { id, name: file.name, loaded: 0, total: file.size, bytesPerSecond: 0, status: 'uploading' }]);
    const meter = new RateMeter();
    const handle = uploadInParts(file, partsTo(artifactPath(product, version, file.name)), ({ loaded, total }) =>
      update(id, { loaded, total, bytesPerSecond: meter.add(performance.now(), loaded) }),
    );
    cancels.current.set(id, handle.cancel);
    try {
      await handle.done;
      update(id, { status: 'done' });
      onUploaded();
    } catch (e) {
      update(id, e instanceof UploadCancelled ? { status: 'cancelled' } : { status: 'failed', error: e });
    } finally {
      cancels.current.delete(id);
    }
  };

  const startAll = (files: FileList | null) => {
    if (files) Array.from(files).forEach((f) => void start(f));
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    startAll(e.dataTransfer.files);
  };

  return (
    <Stack hasGutter>
      <StackItem>
        <div
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          style={{
            border: `2px dashed var(${dragging ? '--pf-t--global--border--color--clicked' : '--pf-t--global--border--color--default'})`,
            borderRadius: 'var(--pf-t--global--border--radius--medium)',
            padding: 'var(--pf-t--global--spacer--lg)',
            textAlign: 'center',
          }}
        >
          <Flex direction={{ default: 'column' }} alignItems={{ default: 'alignItemsCenter' }}>
            <span>Drag files here to upload them to {product} {version}</span>
            <Button variant="secondary" icon={<UploadIcon />} onClick={() => input.current?.click()}>
              Choose files
            </Button>
            <input
              ref={input}
              type="file"
              multiple
              hidden
              aria-label="Files to upload"
              onChange={(e) => {
                startAll(e.target.files);
                e.target.value = '';
              }}
            />
          </Flex>
        </div>
      </StackItem>
      {uploads.map((u) => (
        <StackItem key={u.id}>
          <UploadProgress upload={u} onCancel={() => cancels.current.get(u.id)?.()} />
        </StackItem>
      ))}
    </Stack>
  );
}
