import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { ChannelSettingsView, EmailInboxView, MessageTemplate } from '@charla/protocol';
import { CONFIGURABLE_CHANNELS, type ConfigurableChannel } from '@charla/protocol/constants';
import { EMAIL, FormModel, SettingsSection, type Draft } from './settings-section.js';
import type { SettingsString } from './settings.strings.js';

const IDS: Record<ConfigurableChannel, ReadonlyArray<{ key: string; label: SettingsString; optional?: true }>> = {
  whatsapp: [{ key: 'phoneNumberId', label: 'phoneNumberId' }, { key: 'wabaId', label: 'wabaId' }, { key: 'datasetId', label: 'datasetId', optional: true }],
  instagram: [{ key: 'accountId', label: 'accountId' }],
  messenger: [{ key: 'pageId', label: 'pageId' }],
};
const SECRETS = ['accessToken', 'appSecret', 'verifyToken'] as const;
const EMAIL_SECRETS = [['inboundSecret', ''], ['smtpUrl', 'smtp'], ['imapUrl', 'imap']] as const;
const MAIL_URL = (scheme: string) => new RegExp(`^${scheme}s?://[^\\s/]+$`, 'i');
const GRAPH_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const PEM = /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/;
const NEW_INBOX = 'new';

/**
 * Channels: the WhatsApp Cloud API, Instagram and Messenger accounts, and the email inboxes (several:
 * support@, sales@…, each added, changed and removed on its own). Ids are shown; secrets are write-only
 * (only whether each is set); the webhook's verify token can be checked the way Meta checks it;
 * WhatsApp templates are synced from Meta with their review status.
 *
 * @tag charla-settings-channels
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsChannels extends SettingsSection {
  protected readonly heading = 'channels' as const;
  protected readonly hint = 'channelsHint' as const;
  @state() private views = new Map<ConfigurableChannel, ChannelSettingsView>();
  @state() private templates: MessageTemplate[] = [];
  @state() private verification = new Map<ConfigurableChannel, { ok: boolean; text: string }>();
  #forms = new Map<ConfigurableChannel, FormModel<Draft>>();
  /** The workspace's email inboxes (support@, sales@…), the first made first. */
  @state() private inboxes: EmailInboxView[] = [];
  /** Whether the form for a new inbox is open (it always is while there is none). */
  @state() private addingInbox = false;
  /** The inbox whose removal waits for a confirmation. */
  @state() private removingInbox: string | null = null;
  #inboxForms = new Map<string, FormModel<Draft>>();

  /** An inbox's form (`NEW_INBOX` for the one that adds an inbox: address and SMTP required). */
  #emailFormOf(view: EmailInboxView | null): FormModel<Draft> {
    const values: Draft = {
      address: view?.ids.address ?? '', fromName: view?.ids.fromName ?? '', signature: view?.ids.signature ?? '', smtpTlsCa: view?.ids.smtpTlsCa ?? '',
    };
    for (const [key] of EMAIL_SECRETS) values[key] = '';
    return new FormModel<Draft>(values, (d) => {
      const errors: Record<string, string | null> = {};
      if (!EMAIL.test(String(d.address).trim())) errors.address = this.t('invalidEmail');
      const secret = String(d.inboundSecret).trim();
      if (secret && secret.length < 16) errors.inboundSecret = this.t('inboundSecret');
      for (const [key, scheme] of EMAIL_SECRETS) {
        const value = String(d[key]).trim();
        if (scheme && value && !MAIL_URL(scheme).test(value)) errors[key] = this.t('invalidMailUrl', { scheme: `${scheme}s` });
      }
      if (!view && !String(d.smtpUrl).trim()) errors.smtpUrl = this.t('required');
      const ca = String(d.smtpTlsCa).trim();
      if (ca && !PEM.test(ca)) errors.smtpTlsCa = this.t('invalidPem');
      return errors;
    }, () => this.requestUpdate());
  }

  #setInboxes(inboxes: EmailInboxView[]): void {
    this.inboxes = inboxes;
    this.#inboxForms = new Map([
      ...inboxes.map((inbox) => [inbox.id!, this.#emailFormOf(inbox)] as const),
      [NEW_INBOX, this.#emailFormOf(null)],
    ]);
  }

  async #saveEmail(event: Event, id: string): Promise<void> {
    event.preventDefault();
    const form = this.#inboxForms.get(id)!;
    if (!form.dirty || !form.valid) return;
    const patch: Record<string, string | null> = {};
    for (const key of form.changedKeys()) {
      const value = String(form.draft[key]).trim();
      // An empty secret keeps the stored one; an emptied name, signature or CA is removed.
      if (value !== '') patch[key] = key === 'signature' ? String(form.draft[key]) : value;
      else if (key === 'fromName' || key === 'signature' || key === 'smtpTlsCa') patch[key] = null;
    }
    await this.act(async () => {
      const view = id === NEW_INBOX
        ? await this.api<EmailInboxView>('POST', '/api/v1/channels/email/inboxes', patch)
        : await this.api<EmailInboxView>('PUT', `/api/v1/channels/email/inboxes/${encodeURIComponent(id)}`, patch);
      const known = this.inboxes.some((inbox) => inbox.id === view.id);
      this.#setInboxes(known ? this.inboxes.map((inbox) => (inbox.id === view.id ? view : inbox)) : [...this.inboxes, view]);
      this.addingInbox = false;
    });
  }

  async #removeInbox(id: string): Promise<void> {
    await this.act(async () => {
      await this.api('DELETE', `/api/v1/channels/email/inboxes/${encodeURIComponent(id)}`);
      this.removingInbox = null;
      this.#setInboxes(this.inboxes.filter((inbox) => inbox.id !== id));
      return this.t('inboxRemoved');
    });
  }

  #renderInbox(view: EmailInboxView | null) {
    const key = view?.id ?? NEW_INBOX;
    const form = this.#inboxForms.get(key);
    if (!form) return nothing;
    const id = `${this.uid}-email-${key}`;
    const address = view?.ids.address ?? '';
    return html`<form class="channel" data-channel="email" data-inbox=${key} @submit=${(event: Event) => void this.#saveEmail(event, key)} aria-labelledby=${id}>
      <h3 id=${id}>${view ? html`${this.t('email')} · ${address}
        <span class="badge" data-tone=${view.configured ? 'good' : 'bad'}>${this.t(view.configured ? 'connected' : 'notConnected')}</span>` : this.t('newInbox')}</h3>
      <div class="fields">
        ${this.renderField(form, { key: 'address', label: this.t('emailAddress'), type: 'email', autocomplete: 'off' })}
        ${this.renderField(form, { key: 'fromName', label: this.t('emailFromName') })}
        ${this.renderField(form, { key: 'signature', label: this.t('emailSignature'), type: 'textarea', rows: 3 })}
        ${EMAIL_SECRETS.map(([secret]) => this.renderField(form, {
          key: secret, label: this.t(secret), type: 'password', autocomplete: 'off', placeholder: this.t(view?.secrets[secret] ? 'secretSet' : 'secretUnset'),
        }))}
        ${this.renderField(form, { key: 'smtpTlsCa', label: this.t('smtpTlsCa'), type: 'textarea', rows: 3 })}
      </div>
      <div class="actions">
        ${this.renderActions(form, view ? 'save' : 'addInbox')}
        ${view && this.inboxes.length > 0
          ? this.removingInbox === view.id
            ? html`<span role="alert">${this.t('confirmRemoveInbox', { address })}</span>
                <button type="button" class="danger" ?disabled=${this.busy} @click=${() => void this.#removeInbox(view.id!)}>${this.t('removeInbox')}</button>
                <button type="button" @click=${() => (this.removingInbox = null)}>${this.t('cancel')}</button>`
            : html`<button type="button" @click=${() => (this.removingInbox = view.id)}>${this.t('removeInbox')}</button>`
          : nothing}
        ${!view && this.inboxes.length > 0 ? html`<button type="button" @click=${() => (this.addingInbox = false)}>${this.t('cancel')}</button>` : nothing}
      </div>
      ${view?.ids.inboxKey ? html`<p class="sub">${this.t('emailWebhook', { url: `/webhooks/email/${view.ids.inboxKey}` })}</p>` : nothing}
    </form>`;
  }

  #renderEmail() {
    return html`${this.inboxes.map((inbox) => this.#renderInbox(inbox))}
      ${this.inboxes.length === 0 || this.addingInbox
        ? this.#renderInbox(null)
        : html`<div class="actions"><button type="button" class="add-inbox" @click=${() => (this.addingInbox = true)}>${this.t('addInbox')}</button></div>`}`;
  }
  #probes = new Map<ConfigurableChannel, FormModel<Draft>>();

  #formOf(channel: ConfigurableChannel, view: ChannelSettingsView): FormModel<Draft> {
    const values: Draft = {};
    for (const { key } of IDS[channel]) values[key] = view.ids[key] ?? '';
    for (const key of SECRETS) values[key] = '';
    return new FormModel<Draft>(values, (d) => {
      const errors: Record<string, string | null> = {};
      for (const { key, optional } of IDS[channel]) {
        const value = String(d[key]).trim();
        if (value === '' ? !optional && view.ids[key] : !GRAPH_ID.test(value)) errors[key] = this.t('required');
      }
      return errors;
    }, () => this.requestUpdate());
  }

  protected async load(): Promise<void> {
    const [templates, email, ...views] = await Promise.all([
      this.api<{ templates: MessageTemplate[] }>('GET', '/api/v1/channels/whatsapp/templates'),
      this.api<{ inboxes: EmailInboxView[] }>('GET', '/api/v1/channels/email/inboxes'),
      ...CONFIGURABLE_CHANNELS.map((channel) => this.api<ChannelSettingsView>('GET', `/api/v1/channels/${channel}`)),
    ]);
    this.views = new Map(CONFIGURABLE_CHANNELS.map((channel, i) => [channel, views[i]!]));
    for (const channel of CONFIGURABLE_CHANNELS) {
      this.#forms.set(channel, this.#formOf(channel, views[CONFIGURABLE_CHANNELS.indexOf(channel)]!));
      this.#probes.set(channel, new FormModel<Draft>({ token: '' }, () => ({}), () => this.requestUpdate()));
    }
    this.templates = templates.templates;
    this.#setInboxes(email.inboxes);
  }

  async #save(event: Event, channel: ConfigurableChannel): Promise<void> {
    event.preventDefault();
    const form = this.#forms.get(channel)!;
    if (!form.dirty || !form.valid) return;
    const patch: Record<string, string | null> = {};
    for (const key of form.changedKeys()) {
      const value = String(form.draft[key]).trim();
      // An emptied optional id is removed; an empty secret keeps the stored one.
      if (value !== '') patch[key] = value;
      else if (key === 'datasetId') patch[key] = null;
    }
    await this.act(async () => {
      const view = await this.api<ChannelSettingsView>('PUT', `/api/v1/channels/${channel}`, patch);
      this.views = new Map(this.views).set(channel, view);
      this.#forms.set(channel, this.#formOf(channel, view));
    });
  }

  /** Asks Charla's webhook what Meta asks when you save the callback URL: echo the challenge for this verify token. */
  async #verify(channel: ConfigurableChannel): Promise<void> {
    const client = this.activeClient;
    const token = String(this.#probes.get(channel)!.draft.token).trim();
    if (!client || !token) return;
    const challenge = String(Math.floor(Math.random() * 1e9));
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': challenge });
    let result: { ok: boolean; text: string };
    try {
      const response = await client.fetchApi(`/webhooks/${channel}?${query}`);
      const body = await response.text();
      result = response.ok && body === challenge
        ? { ok: true, text: this.t('verified') }
        : { ok: false, text: this.t('notVerified', { reason: `${response.status}` }) };
    } catch (error) {
      result = { ok: false, text: this.t('notVerified', { reason: error instanceof Error ? error.message : String(error) }) };
    }
    this.verification = new Map(this.verification).set(channel, result);
  }

  async #sync(): Promise<void> {
    await this.act(async () => {
      const { templates } = await this.api<{ templates: MessageTemplate[] }>('POST', '/api/v1/channels/whatsapp/templates/sync');
      this.templates = templates;
      return this.t('synced', { count: templates.length });
    });
  }

  #channel(channel: ConfigurableChannel) {
    const view = this.views.get(channel)!;
    const form = this.#forms.get(channel)!;
    const probe = this.#probes.get(channel)!;
    const verification = this.verification.get(channel);
    return html`<form class="channel" data-channel=${channel} @submit=${(event: Event) => void this.#save(event, channel)} aria-labelledby="${this.uid}-${channel}">
      <h3 id="${this.uid}-${channel}">${this.t(channel)}
        <span class="badge" data-tone=${view.configured ? 'good' : 'bad'}>${this.t(view.configured ? 'connected' : 'notConnected')}</span></h3>
      <div class="fields">
        ${IDS[channel].map(({ key, label }) => this.renderField(form, { key, label: this.t(label) }))}
        ${SECRETS.map((key) => this.renderField(form, {
          key, label: this.t(key), type: 'password', placeholder: this.t(view.secrets[key] ? 'secretSet' : 'secretUnset'),
        }))}
      </div>
      ${this.renderActions(form)}
      <fieldset>
        <legend>${this.t('webhook')}</legend>
        <span class="sub">${this.t('webhookUrl', { url: `/webhooks/${channel}` })}</span>
        <div class="fields">${this.renderField(probe, { key: 'token', label: this.t('verifyWith'), type: 'password' })}</div>
        <div class="actions">
          <button type="button" ?disabled=${!String(probe.draft.token).trim()} @click=${() => void this.#verify(channel)}>${this.t('verify')}</button>
          <span role="status" class=${verification?.ok ? 'notice' : 'error'}>${verification?.text ?? ''}</span>
        </div>
      </fieldset>
    </form>`;
  }

  protected renderBody() {
    return html`
      ${this.#channel('whatsapp')}
      <section class="card" aria-labelledby="${this.uid}-templates">
        <h3 id="${this.uid}-templates">${this.t('templates')}</h3>
        ${this.templates.length === 0
          ? html`<p class="empty">${this.t('noTemplates')}</p>`
          : html`<table>
              <thead><tr><th>${this.t('template')}</th><th>${this.t('language')}</th><th>${this.t('category')}</th><th>${this.t('status')}</th></tr></thead>
              <tbody>${this.templates.map((template) => html`<tr>
                <td>${template.name}</td>
                <td data-label=${this.t('language')}>${template.language}</td>
                <td data-label=${this.t('category')}>${template.category ?? nothing}</td>
                <td data-label=${this.t('status')}><span class="badge" data-tone=${template.status === 'APPROVED' ? 'good' : 'bad'}>${template.status}</span></td>
              </tr>`)}</tbody>
            </table>`}
        <div class="actions"><button type="button" ?disabled=${this.busy} @click=${() => void this.#sync()}>${this.t('sync')}</button></div>
      </section>
      ${this.#channel('instagram')}
      ${this.#channel('messenger')}
      ${this.#renderEmail()}
    `;
  }
}
