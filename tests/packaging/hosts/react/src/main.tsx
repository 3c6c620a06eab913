import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { html } from 'lit';
import { CharlaInbox, CharlaKanban, CharlaProvider, CharlaThread, type KanbanCardContext, type Renderer } from '@charla/react';
import type { Deal } from '@charla/protocol';
import type {} from '@charla/elements/jsx';
import '@charla/elements/presence.js';

declare global {
  interface Window {
    charlaHost: { url: string; token: string };
    hostEvents: string[];
  }
}

window.hostEvents = [];

/** The host's own deal cards: the title and the stage, as text (lit escapes them). */
const renderCard: Renderer<Deal, KanbanCardContext> = (deal, _defaultContent, { stage }) =>
  html`<strong class="host-card">${deal.title}</strong> <span>${stage.name}</span>`;
const { url, token } = window.charlaHost;

function App() {
  const [conversationId, setConversationId] = useState<string | null>(null);
  return (
    <CharlaProvider url={url} token={token}>
      <main style={{ display: 'grid', gridTemplateColumns: '360px 1fr', height: '55vh' }}>
        <CharlaInbox
          onConversationSelect={(event) => {
            window.hostEvents.push(`select:${event.detail.conversationId}`);
            setConversationId(event.detail.conversationId);
          }}
        />
        <CharlaThread conversationId={conversationId} />
      </main>
      <CharlaKanban
        style={{ display: 'block', height: '40vh' }}
        renderCard={renderCard}
        onDealMoved={(event) => window.hostEvents.push(`moved:${event.detail.dealId}:${event.detail.toStageId}`)}
      />
      <charla-presence oncharla-presence-change={(event) => window.hostEvents.push(`presence:${event.detail.status}`)} />
    </CharlaProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
