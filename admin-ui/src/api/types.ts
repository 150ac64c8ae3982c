// Hand-written from the control plane's view records (catalog/, fleet/, site/, audit/ *View.java)
// and docs/api.md. Generating them from /q/openapi is left for when the rollout API settles.

export type Instant = string;

export interface Product {
  name: string;
  description?: string;
  lastSequence: number;
  createdAt: Instant;
  createdBy: string;
}

export interface InstallSpec {
  archive?: string;
  command?: string[];
  timeoutSeconds?: number;
  healthCheck?: string[];
}

export type ReleaseState = 'DRAFT' | 'PUBLISHED' | 'REVOKED';

export interface Artifact {
  name: string;
  size: number;
  sha256: string;
  pieceLength: number;
  infoHashV1?: string;
  infoHashV2?: string;
  uploadedAt: Instant;
}

export interface Release {
  product: string;
  version: string;
  notes?: string;
  state: ReleaseState;
  install?: InstallSpec;
  sequence?: number;
  keyId?: string;
  createdAt: Instant;
  createdBy: string;
  publishedAt?: Instant;
  expiresAt?: Instant;
  revokedAt?: Instant;
  artifacts: Artifact[];
}

export interface ReleaseRequest {
  version: string;
  notes?: string;
  install?: InstallSpec;
}

export interface SigningKey {
  keyId: string;
  algorithm: string;
  active: boolean;
  /** SHA-256 of the public key (DER), 64 hex digits: what an agent pins at enrollment. */
  fingerprint: string;
  publicKeyPem: string;
}

/** GET /signing-keys/key-set/summary: the key set the offline root signed (404 when there is none). */
export interface KeySetSummary {
  version: number;
  rootKeyId: string;
  /** SHA-256 of the root's public key (DER): what `enroll --root-key-fingerprint` pins. */
  rootFingerprint?: string | null;
  expiresAt: string;
  trusted: string[];
  revoked: string[];
  signingKeyId: string;
}

export type AgentState = 'ACTIVE' | 'REVOKED';

export interface InstalledRelease {
  product: string;
  version: string;
  sequence: number;
  active: boolean;
}

export interface Agent {
  id: string;
  clientId: string;
  hostname: string;
  site?: string;
  labels: string[];
  state: AgentState;
  agentVersion?: string;
  enrolledAt: Instant;
  lastCheckIn?: Instant;
  lastAddress?: string;
  freeDiskBytes?: number;
  installed: InstalledRelease[];
  revokedAt?: Instant;
  revokedBy?: string;
  /** The expiry of the newest signed assignment the agent holds, as it said at its last check-in. */
  assignmentValidUntil?: Instant;
  /** Set while the agent is frozen: its assignment expired then and no newer one has reached it. */
  frozenSince?: Instant;
  /** Why the agent refused the last check-in answer it got, e.g. "BAD_SIGNATURE: …". */
  assignmentProblem?: string;
}

/**
 * Agents of one group: `agents` = `active` + `revoked`; `silent` and `frozen` ones are counted among `active`
 * (frozen: their signed assignment expired and no newer one has reached them, as they said at their last check-in).
 */
export interface AgentCounts {
  agents: number;
  active: number;
  silent: number;
  frozen: number;
  revoked: number;
}

/** GET /agents/counts (fleet/AgentCounts.java): sites with agents in name order, no site (null) last. */
export interface FleetCounts {
  total: AgentCounts;
  bySite: { site: string | null; counts: AgentCounts }[];
  silentAfterSeconds: number;
}

/** GET /swarms (tracker/SwarmView.java): one published artifact's swarm. */
export interface Swarm {
  product: string;
  version: string;
  file: string;
  infoHashV1: string;
  infoHashV2: string;
  seeds: number;
  leechers: number;
  completed: number;
  reportedUploadedBytes: number;
  reportedDownloadedBytes: number;
  originSeedBytes: number;
  webSeedBytes: number;
  /** Peers by site; "" is the peers whose address is in no site's ranges. */
  sites: { site: string; seeds: number; leechers: number }[];
}

export interface Deployment {
  id: string;
  agentId: string;
  hostname: string;
  site?: string;
  product: string;
  version: string;
  state: string;
  bytesDone?: number;
  bytesTotal?: number;
  reason?: string;
  detail?: string;
  exitCode?: number;
  createdAt: Instant;
  updatedAt?: Instant;
}

export interface Site {
  name: string;
  description?: string;
  cidrs: string[];
  createdAt: Instant;
  createdBy: string;
  updatedAt?: Instant;
  updatedBy?: string;
}

export interface SiteRequest {
  name?: string;
  description?: string;
  cidrs: string[];
}

export type EnrollmentTokenStatus = 'ACTIVE' | 'USED_UP' | 'EXPIRED' | 'REVOKED';

export interface EnrollmentToken {
  id: string;
  /** Only in the answer that creates the token. */
  token?: string;
  usesTotal: number;
  usesLeft: number;
  expiresAt: Instant;
  site?: string;
  labels: string[];
  status: EnrollmentTokenStatus;
  createdAt: Instant;
  createdBy: string;
  revokedAt?: Instant;
  revokedBy?: string;
}

export interface EnrollmentTokenRequest {
  uses?: number;
  expiresInSeconds?: number;
  site?: string;
  labels?: string[];
}

export interface AuditEntry {
  id: number;
  at: Instant;
  actor: string;
  action: string;
  target: string;
  status: number;
  outcome: string;
  detail?: string;
}

export interface UiConfig {
  keycloakUrl: string;
  realm: string;
  clientId: string;
}
