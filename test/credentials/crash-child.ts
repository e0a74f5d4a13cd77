// Run as a child process by file-store-crash.test.ts: opens the store on argv[2], and while putting
// a new credential kills itself with SIGKILL at the write point argv[3] - a real crash, with no
// cleanup code running. CREDENTIALS_KEY (hex) is the sealing key.
import { createSealer } from '../../src/credentials/crypto.js';
import { createFileCredentialStore } from '../../src/credentials/file-store.js';
import { oauthCredential } from './helpers.js';

const [path, point] = process.argv.slice(2);
const store = createFileCredentialStore({
  path: path ?? '',
  sealer: createSealer(Buffer.from(process.env.CREDENTIALS_KEY ?? '', 'hex')),
  onWritePoint: (reached) => {
    if (reached === point) process.kill(process.pid, 'SIGKILL');
  },
});
await store.putCredential(
  oauthCredential({ refreshToken: 'refresh-NEW', accessToken: 'access-NEW', updatedAt: 2_000 }),
);
process.stdout.write('completed\n');
