import { html, css } from 'lit';
import type { Channel } from '@charla/protocol/constants';
import { imageSource } from '@charla/protocol/urls';

/** Initials of a name ("María López" → "ML", "Gaby ☕" → "G"), or "?" when it has no letter. */
export function initials(name: string | null | undefined): string {
  // Each word's first letter or digit: emoji and symbols are no initials.
  const letters = (name ?? '').trim().split(/\s+/).flatMap((word) => word.match(/[\p{L}\p{N}]/u) ?? []);
  if (letters.length === 0) return '?';
  return (letters[0]! + (letters.length > 1 ? letters[letters.length - 1]! : '')).toUpperCase();
}

/** A stable hue per person so the same contact always gets the same avatar color. */
export function hue(seed: string): number {
  let hash = 0;
  for (let i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) | 0;
  return Math.abs(hash) % 360;
}

/** The person's photo when its URL is one an image may load from (see `imageSource`), else their initials. */
export function avatar(seed: string, name: string | null | undefined, imageUrl?: string | null) {
  const src = imageSource(imageUrl);
  return src
    ? html`<img part="avatar" class="avatar" src=${src} alt="" />`
    : html`<span part="avatar" class="avatar" aria-hidden="true" style="--avatar-hue:${hue(seed)}"
        >${initials(name)}</span
      >`;
}

const CHANNEL_GLYPH: Record<Channel, string> = {
  whatsapp: 'WA',
  instagram: 'IG',
  messenger: 'FB',
  webchat: 'W',
  email: '@',
  phone: 'T',
};

export function channelBadge(channel: Channel, label: string) {
  return html`<span part="channel" class="channel" data-channel=${channel} title=${label} role="img" aria-label=${label}
    >${CHANNEL_GLYPH[channel]}</span
  >`;
}

export const avatarStyles = css`
  .avatar {
    flex: none;
    display: inline-grid;
    place-items: center;
    width: 38px;
    height: 38px;
    border-radius: 50%;
    background: hsl(var(--avatar-hue, 210) 55% 88%);
    color: hsl(var(--avatar-hue, 210) 45% 28%);
    font-weight: 600;
    font-size: 13px;
    object-fit: cover;
  }
  .channel {
    display: inline-grid;
    place-items: center;
    min-width: 18px;
    height: 18px;
    padding: 0 3px;
    border-radius: 5px;
    font-size: 9px;
    font-weight: 700;
    color: #fff;
    background: #5b6777;
    letter-spacing: 0.02em;
  }
  .channel[data-channel='whatsapp'] {
    background: #0b7a3e;
  }
  .channel[data-channel='instagram'] {
    background: linear-gradient(45deg, #f09433, #dc2743 50%, #bc1888);
  }
  .channel[data-channel='messenger'] {
    background: #0866ff;
  }
  .channel[data-channel='webchat'] {
    background: var(--charla-color-primary, #1f6feb);
  }
  .channel[data-channel='email'] {
    background: #8250df;
  }
`;

/** What to call a contact: name, phone or email, else what we know of them ("Web visitor"). */
export function contactLabel(
  contact: { name: string | null; phone: string | null; email: string | null } | null | undefined,
  channel: Channel,
  t: (key: 'inbox.webVisitor' | 'inbox.unknownContact') => string,
): string {
  return contact?.name ?? contact?.phone ?? contact?.email ?? t(channel === 'webchat' ? 'inbox.webVisitor' : 'inbox.unknownContact');
}
