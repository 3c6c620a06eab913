import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { ChannelSettingsView, MessageTemplate } from '@charla/protocol';
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

/**
 * Channels: the WhatsApp Cloud API, Instagram and Messenger accounts, and the email inbox. Ids are shown; secrets are write-only
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
  @state() private emailView: ChannelSettingsView | null = null;
  #emailForm: FormModel<Draft> | null = null;

  #emailFormOf(view: ChannelSettingsView): FormModel<Draft> {
    const values: Draft = { address: view.ids.address ?? '', fromName: view.ids.fromName ?? '', signature: view.ids.signature ?? '' };
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
      return errors;
    }, () => this.requestUpdate());
  }

  async #saveEmail(event: Event): Promise<void> {
    event.preventDefault();
    const form = this.#emailForm!;
    if (!form.dirty || !form.valid) return;
    const patch: Record<string, string | null> = {};
    for (const key of form.changedKeys()) {
      const value = String(form.draft[key]).trim();
      // An empty secret keeps the stored one; an emptied name or signature is removed.
      if (value !== '') patch[key] = key === 'signature' ? String(form.draft[key]) : value;
      else if (key === 'fromName' || key === 'signature') patch[key] = null;
    }
    await this.act(async () => {
      const view = await this.api<ChannelSettingsView>('PUT', '/api/v1/channels/email', patch);
      this.emailView = view;
      this.#emailForm = this.#emailFormOf(view);
    });
  }

  #renderEmail() {
    const view = this.emailView;
    const form = this.#emailForm;
    if (!view || !form) return nothing;
    const id = `${this.uid}-email`;
    return html`<form class="channel" data-channel="email" @submit=${(event: Event) => void this.#saveEmail(event)} aria-labelledby=${id}>
      <h3 id=${id}>${this.t('email')}
        <span class="badge" data-tone=${view.configured ? 'good' : 'bad'}>${this.t(view.configured ? 'connected' : 'notConnected')}</span></h3>
      <div class="fields">
        ${this.renderField(form, { key: 'address', label: this.t('emailAddress'), type: 'email', autocomplete: 'off' })}
        ${this.renderField(form, { key: 'fromName', label: this.t('emailFromName') })}
        ${this.renderField(form, { key: 'signature', label: this.t('emailSignature'), type: 'textarea', rows: 3 })}
        ${EMAIL_SECRETS.map(([key]) => this.renderField(form, {
          key, label: this.t(key), type: 'password', autocomplete: 'off', placeholder: this.t(view.secrets[key] ? 'secretSet' : 'secretUnset'),
        }))}
      </div>
      ${this.renderActions(form)}
      ${view.ids.inboxKey ? html`<p class="sub">${this.t('emailWebhook', { url: `/webhooks/email/${view.ids.inboxKey}` })}</p>` : nothing}
    </form>`;
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
      this.api<ChannelSettingsView>('GET', '/api/v1/channels/email'),
      ...CONFIGURABLE_CHANNELS.map((channel) => this.api<ChannelSettingsView>('GET', `/api/v1/channels/${channel}`)),
    ]);
    this.views = new Map(CONFIGURABLE_CHANNELS.map((channel, i) => [channel, views[i]!]));
    for (const channel of CONFIGURABLE_CHANNELS) {
      this.#forms.set(channel, this.#formOf(channel, views[CONFIGURABLE_CHANNELS.indexOf(channel)]!));
      this.#probes.set(channel, new FormModel<Draft>({ token: '' }, () => ({}), () => this.requestUpdate()));
    }
    this.templates = templates.templates;
    this.emailView = email;
    this.#emailForm = this.#emailFormOf(email);
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
