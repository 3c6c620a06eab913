import { DEMO_WIDGET_KEY } from '../seed.js';
import type { Store } from '../store/index.js';
import { demoChannelSettings, saveChannelSettings } from './settings.js';

/**
 * The demo workspace receives WhatsApp and Instagram webhooks (the channel simulator posts
 * them) with the `CHARLA_*` settings, or demo values when those are unset.
 */
export async function applyDemoChannels(store: Store, env: NodeJS.ProcessEnv): Promise<void> {
  const workspace = await store.workspaces.byWidgetKey(DEMO_WIDGET_KEY);
  if (!workspace) return;
  const settings = demoChannelSettings(env);
  await store.transaction(async (scope) => {
    await saveChannelSettings(scope, workspace.id, 'whatsapp', settings.whatsapp);
    await saveChannelSettings(scope, workspace.id, 'instagram', settings.instagram);
  });
}
