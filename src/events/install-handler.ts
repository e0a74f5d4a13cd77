// INSTALL and UNINSTALL: the app's access to a location (or a whole agency) begins or ends. What
// that means for stored credentials is the credential store's business; this handler only
// routes the change there. Both callbacks must be idempotent, as every handler must.
import type { InstallChange } from '../ghl/changes.js';
import type { EventHandler } from './processor.js';

export interface InstallCallbacks {
  onInstall?: (change: InstallChange) => Promise<unknown>;
  onUninstall?: (change: InstallChange) => Promise<unknown>;
}

export function installHandler(callbacks: InstallCallbacks): EventHandler {
  return async function install(change) {
    if (change.kind === 'install') await callbacks.onInstall?.(change);
    else if (change.kind === 'uninstall') await callbacks.onUninstall?.(change);
  };
}
