import { isFileName, isVersion, VERSION_RULE } from '../../api/names';
import type { ReleaseRequest } from '../../api/types';

/** The form as typed: argv lists one argument per line. */
export interface ReleaseFormValues {
  version: string;
  notes: string;
  archive: string;
  command: string;
  timeoutSeconds: string;
  healthCheck: string;
}

export const EMPTY_RELEASE: ReleaseFormValues = { version: '', notes: '', archive: '', command: '', timeoutSeconds: '', healthCheck: '' };

export type ReleaseFormErrors = Partial<Record<keyof ReleaseFormValues, string>>;

const MAX_ARGS = 64;
const MAX_ARG_LENGTH = 4096;
const MAX_TIMEOUT = 86400;
const ARCHIVE = /\.(zip|tar\.gz|tgz)$/;

const argv = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

/** The same limits as the control plane (ReleaseRequest, InstallSpecs), so the form answers before the API does. */
export function validateRelease(v: ReleaseFormValues): ReleaseFormErrors {
  const errors: ReleaseFormErrors = {};
  if (!v.version) errors.version = 'A version is required';
  else if (!isVersion(v.version)) errors.version = `Must be ${VERSION_RULE}`;
  if (v.notes.length > 10000) errors.notes = 'At most 10,000 characters';
  if (v.archive && !isFileName(v.archive)) errors.archive = 'Must be the name of a file you upload to this release';
  else if (v.archive && !ARCHIVE.test(v.archive)) errors.archive = 'Must end in .zip, .tar.gz or .tgz';
  errors.command = argvError(v.command);
  errors.healthCheck = argvError(v.healthCheck);
  if (v.timeoutSeconds) {
    const t = Number(v.timeoutSeconds);
    if (!Number.isInteger(t) || t < 1 || t > MAX_TIMEOUT) errors.timeoutSeconds = `A whole number of seconds from 1 to ${MAX_TIMEOUT}`;
  }
  for (const key of Object.keys(errors) as (keyof ReleaseFormValues)[]) if (!errors[key]) delete errors[key];
  return errors;
}

function argvError(text: string): string | undefined {
  const args = argv(text);
  if (args.length > MAX_ARGS) return `At most ${MAX_ARGS} arguments`;
  if (args.some((a) => a.length > MAX_ARG_LENGTH)) return `Each argument at most ${MAX_ARG_LENGTH} characters`;
  return undefined;
}

export function toRequest(v: ReleaseFormValues): ReleaseRequest {
  const command = argv(v.command);
  const healthCheck = argv(v.healthCheck);
  const install = {
    archive: v.archive || undefined,
    command: command.length ? command : undefined,
    timeoutSeconds: v.timeoutSeconds ? Number(v.timeoutSeconds) : undefined,
    healthCheck: healthCheck.length ? healthCheck : undefined,
  };
  const hasInstall = Object.values(install).some((x) => x !== undefined);
  return { version: v.version, notes: v.notes || undefined, install: hasInstall ? install : undefined };
}
