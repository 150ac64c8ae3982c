export const ADMIN = 'starling-admin';
export const PUBLISHER = 'starling-publisher';
export const OPERATOR = 'starling-operator';
export const VIEWER = 'starling-viewer';

/**
 * What each role may do, mirroring the @RolesAllowed of the control plane's resources
 * (control-plane/src/main/java/io/starling/controlplane/*\/*Resource.java). The console hides what
 * would be refused; the API still decides.
 */
export const PERMISSIONS = {
  readCatalog: [ADMIN, PUBLISHER, OPERATOR, VIEWER],
  editCatalog: [ADMIN, PUBLISHER],
  readAgents: [ADMIN, OPERATOR, VIEWER],
  revokeAgent: [ADMIN],
  readSites: [ADMIN, PUBLISHER, OPERATOR, VIEWER],
  readSwarms: [ADMIN, PUBLISHER, OPERATOR, VIEWER],
  editSites: [ADMIN, OPERATOR],
  readTokens: [ADMIN, VIEWER],
  editTokens: [ADMIN],
  readAudit: [ADMIN, VIEWER],
  readRollouts: [ADMIN, OPERATOR, VIEWER],
  editRollouts: [ADMIN, OPERATOR],
  decideRollouts: [ADMIN],
  manageWebhooks: [ADMIN],
} as const;

export type Permission = keyof typeof PERMISSIONS;

export function allows(roles: readonly string[], permission: Permission): boolean {
  return PERMISSIONS[permission].some((role) => roles.includes(role));
}
