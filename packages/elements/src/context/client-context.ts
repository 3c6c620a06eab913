import { createContext } from '@lit/context';
import type { CharlaClient } from '@charla/client';

/** The agent client provided by `<charla-provider>` to every Charla element inside it. */
export const clientContext = createContext<CharlaClient | undefined>('charla-client');
