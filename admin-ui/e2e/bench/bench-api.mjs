// What the browser benchmarks share around the control plane's API.
import { closeSync, openSync, writeSync } from 'node:fs';

const KEYCLOAK = process.env.KEYCLOAK_URL ?? 'http://127.0.0.1:8180';

/** A fresh access token for the demo realm's admin (password grant of the CLI's client). */
export async function adminToken() {
  const response = await fetch(`${KEYCLOAK}/realms/starling/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', client_id: 'starling-cli', username: 'admin', password: 'admin' }),
  });
  if (!response.ok) throw new Error(`Keycloak refused a token: ${response.status}`);
  return (await response.json()).access_token;
}

/** New first bytes, so that every upload of `file` is a blob the store has not seen. */
export function rewriteFirstBytes(file, tag) {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.from(`${tag} ${Date.now()} ${Math.random()}`.padEnd(64)), 0, 64, 0);
  } finally {
    closeSync(fd);
  }
}
