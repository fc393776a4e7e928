// What the parts of `npm run test:n8n` share: the sandbox account, the n8n version, and
// output that never shows the account's password.
import { createOutput } from '../lib/output.mjs';
import { PKG } from '../lib/paths.mjs';

export const N8N_VERSION = '2.41.1';
export const NODE_TYPE = `${PKG.name}.sfrDmcSms`;
export const CREDENTIAL_TYPE = 'sfrDmcApi';
export const ACCOUNT = { serviceId: 'sandbox-service', servicePassword: 'sandbox-password', spaceId: 'sandbox-space' };
export const MINUTE = 60_000;

export const { say: log, redact } = createOutput({ prefix: 'test:n8n: ', secrets: [ACCOUNT.servicePassword] });
