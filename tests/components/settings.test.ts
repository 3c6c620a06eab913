import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../fixtures/locales.js';
import type {
  CharlaSettings, CharlaSettingsActivity, CharlaSettingsAi, CharlaSettingsCanned, CharlaSettingsCsat, CharlaSettingsPrivacy, CharlaSettingsChannels, CharlaSettingsHours, CharlaSettingsPipelines,
  CharlaSettingsRouting, CharlaSettingsTeam, CharlaSettingsWidget,
} from '@charla/elements';
import type { CharlaClient } from '@charla/client';

/**
 * The admin REST API as the settings see it through `client.fetchApi`: answers by `METHOD /path`
 * (a function gets the JSON body sent), and the requests made, in order. The real server behind
 * these routes is covered by tests/server/agents-admin.test.ts and tests/e2e/team.test.ts.
 */
type Answer = [number, unknown] | ((body: any) => [number, unknown]);
function adminApi(routes: Record<string, Answer>) {
  const requests: Array<{ route: string; body: any }> = [];
  const client = {
    me: { id: 'ag_ana' },
    presenceOf: (id: string) => (id === 'ag_ana' ? 'online' : 'offline'),
    subscribe: () => () => {},
    async fetchApi(path: string, init: RequestInit = {}) {
      const route = `${init.method ?? 'GET'} ${path}`;
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      requests.push({ route, body });
      const answer = routes[route];
      if (!answer) return new Response(JSON.stringify({ error: { code: 'not_found', message: `No endpoint ${route}` } }), { status: 404 });
      const [status, json] = typeof answer === 'function' ? answer(body) : answer;
      return status === 204 ? new Response(null, { status }) : new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
    },
  };
  return { client: client as unknown as CharlaClient, requests, writes: () => requests.filter((r) => !r.route.startsWith('GET')) };
}

const refusal = (status: number, code: string, message: string): [number, unknown] => [status, { error: { code, message } }];
const root = (el: Element) => el.shadowRoot!;
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
async function ready(el: Element & { updateComplete: Promise<unknown> }) {
  await waitUntil(() => !root(el).querySelector('p.empty[role="status"]'), 'the section loads');
  await el.updateComplete;
}
function field(el: Element, label: string, scope: ParentNode = root(el)): HTMLInputElement {
  const labelEl = [...scope.querySelectorAll('label')].find((l) => text(l) === label);
  if (!labelEl) throw new Error(`no field labelled ${label}`);
  return root(el).getElementById(labelEl.htmlFor) as HTMLInputElement;
}
function type(input: HTMLInputElement | HTMLSelectElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input'));
}
function check(input: HTMLInputElement, checked: boolean) {
  input.checked = checked;
  input.dispatchEvent(new Event('change'));
}
const button = (scope: ParentNode, name: string) => [...scope.querySelectorAll('button')].find((b) => text(b) === name)!;
async function outcome(el: Element & { updateComplete: Promise<unknown> }) {
  await waitUntil(() => text(root(el).querySelector('.notice')) || root(el).querySelector('[role="alert"]'), 'the action ends');
  return { notice: text(root(el).querySelector('.notice')), alert: text(root(el).querySelector('.error[role="alert"]')) };
}

const AGENTS = [
  { id: 'ag_ana', workspaceId: 'ws', name: 'Ana García', email: 'ana@aurora.mx', role: 'admin', avatarUrl: null, externalId: null, active: true },
  { id: 'ag_bruno', workspaceId: 'ws', name: 'Bruno Costa', email: 'bruno@aurora.mx', role: 'agent', avatarUrl: null, externalId: null, active: true },
];
const TEAMS = [{ id: 'tm_sales', workspaceId: 'ws', name: 'Ventas', agentIds: ['ag_ana'] }];
const WORKSPACE = { name: 'Aurora', defaultCountry: 'MX', timezone: 'America/Mexico_City', currency: 'MXN', agentVisibility: 'all' };

describe('charla-settings-team', () => {
  it('lists agents with role and status, adds one once the form is valid, and says so', async () => {
    const api = adminApi({
      'GET /api/v1/agents': [200, AGENTS],
      'GET /api/v1/teams': [200, TEAMS],
      'GET /api/v1/workspace': [200, WORKSPACE],
      'POST /api/v1/agents': (body) => [201, { ...body, id: 'ag_nadia', workspaceId: 'ws', avatarUrl: null, externalId: null, active: true }],
    });
    const el = await fixture<CharlaSettingsTeam>(html`<charla-settings-team lang="en" .client=${api.client}></charla-settings-team>`);
    await ready(el);
    const rows = [...root(el).querySelectorAll('tbody tr')].map(text);
    expect(rows[0]).to.contain('Ana García (you)').and.contain('ana@aurora.mx').and.contain('Available');
    expect(rows[1]).to.contain('Bruno Costa').and.contain('Offline').and.contain('Deactivate');
    // One cannot demote oneself: the own role picker is disabled.
    expect(root(el).querySelector<HTMLSelectElement>('select[aria-label="Role of Ana García"]')!.disabled).to.be.true;

    const form = root(el).querySelector('form.add-agent')!;
    const add = button(form, 'Add');
    expect(add.disabled).to.be.true;
    type(field(el, 'Name', form), 'Nadia Ruiz');
    type(field(el, 'Email', form), 'nadia@');
    await el.updateComplete;
    expect(text(form.querySelector('.field-error'))).to.equal('Not an email address');
    expect(field(el, 'Email', form).getAttribute('aria-invalid')).to.equal('true');
    expect(add.disabled).to.be.true;
    type(field(el, 'Email', form), 'nadia@aurora.mx');
    type(field(el, 'Role', form) as unknown as HTMLSelectElement, 'viewer');
    await el.updateComplete;
    add.click();
    const { notice } = await outcome(el);
    expect(notice).to.equal('Nadia Ruiz was added');
    expect(api.writes()).to.deep.equal([{ route: 'POST /api/v1/agents', body: { name: 'Nadia Ruiz', email: 'nadia@aurora.mx', role: 'viewer' } }]);
    expect(text(root(el).querySelector('tr[data-agent="ag_nadia"]'))).to.contain('Nadia Ruiz');
    // The form is empty again, ready for the next person.
    expect(field(el, 'Name', root(el).querySelector('form.add-agent')!).value).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('shows the server\'s refusal and changes nothing', async () => {
    const api = adminApi({
      'GET /api/v1/agents': [200, AGENTS],
      'GET /api/v1/teams': [200, TEAMS],
      'GET /api/v1/workspace': [200, WORKSPACE],
      'POST /api/v1/agents': refusal(409, 'conflict', 'email: Another agent of this workspace has this email'),
      'PATCH /api/v1/agents/ag_bruno': refusal(403, 'forbidden', 'This needs the admin role'),
    });
    const el = await fixture<CharlaSettingsTeam>(html`<charla-settings-team lang="en" .client=${api.client}></charla-settings-team>`);
    await ready(el);
    const form = root(el).querySelector('form.add-agent')!;
    type(field(el, 'Name', form), 'Bruno Dos');
    type(field(el, 'Email', form), 'bruno@aurora.mx');
    await el.updateComplete;
    button(form, 'Add').click();
    expect((await outcome(el)).alert).to.equal('email: Another agent of this workspace has this email');
    expect(root(el).querySelectorAll('tbody tr')).to.have.length(2);
    // The typed values stay, to correct them.
    expect(field(el, 'Email', form).value).to.equal('bruno@aurora.mx');

    // Deactivating asks first; Cancel leaves everything as it was.
    button(root(el), 'Deactivate').click();
    await el.updateComplete;
    const confirm = root(el).querySelector('.confirm')!;
    expect(confirm.getAttribute('aria-label')).to.equal('Sign Bruno Costa out now and send their conversations back to routing?');
    await waitUntil(() => root(el).activeElement === button(confirm, 'Yes, go ahead'), 'focus moves to the confirmation');
    button(confirm, 'Cancel').click();
    await el.updateComplete;
    expect(api.writes()).to.have.length(1);
    button(root(el), 'Deactivate').click();
    await el.updateComplete;
    button(root(el).querySelector('.confirm')!, 'Yes, go ahead').click();
    await waitUntil(() => text(root(el).querySelector('[role="alert"]')).includes('admin role'));
    expect(text(root(el).querySelector('tr[data-agent="ag_bruno"]'))).to.contain('Deactivate');
  });

  it('renames a team and sets its members; Save waits for a change; creates and deletes teams', async () => {
    const api = adminApi({
      'GET /api/v1/agents': [200, AGENTS],
      'GET /api/v1/teams': [200, TEAMS],
      'GET /api/v1/workspace': [200, WORKSPACE],
      'PATCH /api/v1/teams/tm_sales': (body) => [200, { ...TEAMS[0], ...body }],
      'POST /api/v1/teams': (body) => [201, { id: 'tm_new', workspaceId: 'ws', ...body }],
      'DELETE /api/v1/teams/tm_sales': [204, null],
    });
    const el = await fixture<CharlaSettingsTeam>(html`<charla-settings-team lang="en" .client=${api.client}></charla-settings-team>`);
    await ready(el);
    const team = root(el).querySelector<HTMLFormElement>('form.team')!;
    expect(button(team, 'Save').disabled).to.be.true;
    check(field(el, 'Bruno Costa', team), true);
    type(field(el, 'Team name', team), 'Ventas MX');
    await el.updateComplete;
    button(team, 'Save').click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes()).to.deep.equal([{ route: 'PATCH /api/v1/teams/tm_sales', body: { name: 'Ventas MX', agentIds: ['ag_ana', 'ag_bruno'] } }]);
    expect(button(root(el).querySelector('form.team')!, 'Save').disabled).to.be.true;

    const create = root(el).querySelector('form.new-team')!;
    type(field(el, 'Team name', create), 'Soporte');
    await el.updateComplete;
    button(create, 'Create').click();
    await waitUntil(() => text(root(el).querySelector('.notice')) === 'Team Soporte created');
    root(el).querySelector<HTMLButtonElement>('button[aria-label="Delete Ventas MX"]')!.click();
    await el.updateComplete;
    button(root(el).querySelector('.confirm')!, 'Yes, go ahead').click();
    await waitUntil(() => text(root(el).querySelector('.notice')) === 'Team Ventas MX deleted');
    expect([...root(el).querySelectorAll('form.team legend')].map(text)).to.deep.equal(['Members of Soporte']);
  });

  it('sets which conversations agents see', async () => {
    const api = adminApi({
      'GET /api/v1/agents': [200, AGENTS],
      'GET /api/v1/teams': [200, TEAMS],
      'GET /api/v1/workspace': [200, WORKSPACE],
      'PATCH /api/v1/workspace': (body) => [200, { ...WORKSPACE, ...body }],
    });
    const el = await fixture<CharlaSettingsTeam>(html`<charla-settings-team lang="es" .client=${api.client}></charla-settings-team>`);
    await ready(el);
    const form = root(el).querySelector('form.visibility')!;
    const picker = field(el, 'Agentes y lectores ven', form) as unknown as HTMLSelectElement;
    expect(picker.value).to.equal('all');
    expect(button(form, 'Guardar').disabled).to.be.true;
    type(picker, 'teams');
    await el.updateComplete;
    button(form, 'Guardar').click();
    expect((await outcome(el)).notice).to.equal('Guardado');
    expect(api.writes()).to.deep.equal([{ route: 'PATCH /api/v1/workspace', body: { agentVisibility: 'teams' } }]);
    expect(button(form, 'Guardar').disabled).to.be.true;
    await expect(el).to.be.accessible();
  });

  it('says when the settings cannot be loaded, and tries again', async () => {
    let fail = true;
    const api = adminApi({
      'GET /api/v1/agents': [200, AGENTS],
      'GET /api/v1/teams': () => (fail ? refusal(403, 'forbidden', 'This needs the admin role') : [200, []]),
      'GET /api/v1/workspace': [200, WORKSPACE],
    });
    const el = await fixture<CharlaSettingsTeam>(html`<charla-settings-team lang="es" .client=${api.client}></charla-settings-team>`);
    await waitUntil(() => root(el).querySelector('[role="alert"]'));
    expect(text(root(el).querySelector('[role="alert"]'))).to.equal('No se pudieron cargar los ajustes: This needs the admin role');
    fail = false;
    button(root(el), 'Reintentar').click();
    await el.updateComplete;
    await ready(el);
    expect(text(root(el).querySelector('.empty'))).to.equal('Aún no hay equipos');
  });
});

const ROUTING = {
  mode: 'manual', capacity: null, stickyAgent: true, rules: [], vip: null, autoResolveHours: null,
  sla: { firstResponseMinutes: 30, nextResponseMinutes: null, resolutionMinutes: null, businessHours: false },
};

describe('charla-settings-routing', () => {
  it('validates numbers inline and saves round-robin with the SLA targets', async () => {
    const api = adminApi({
      'GET /api/v1/workspace/routing': [200, ROUTING], 'GET /api/v1/teams': [200, TEAMS], 'PATCH /api/v1/workspace/routing': (body) => [200, { ...ROUTING, ...body }],
    });
    const el = await fixture<CharlaSettingsRouting>(html`<charla-settings-routing lang="en" .client=${api.client}></charla-settings-routing>`);
    await ready(el);
    const save = button(root(el), 'Save');
    expect(save.disabled).to.be.true;
    type(field(el, 'Assignment') as unknown as HTMLSelectElement, 'round-robin');
    type(field(el, 'Most open conversations per agent (empty: no limit)'), '0');
    await el.updateComplete;
    expect(text(root(el).querySelector('.field-error'))).to.equal('A whole number from 1 to 500');
    expect(save.disabled).to.be.true;
    type(field(el, 'Most open conversations per agent (empty: no limit)'), '8');
    type(field(el, 'Next response target, minutes'), '60');
    await el.updateComplete;
    save.click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes()[0]!.body).to.deep.equal({
      mode: 'round-robin', capacity: 8, stickyAgent: true, autoResolveHours: null,
      sla: { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: null, businessHours: false },
    });
    expect(save.disabled).to.be.true;
    await expect(el).to.be.accessible();
  });

  it('keeps the changes and shows why when the server refuses', async () => {
    const api = adminApi({
      'GET /api/v1/workspace/routing': [200, ROUTING], 'GET /api/v1/teams': [200, TEAMS], 'PATCH /api/v1/workspace/routing': refusal(400, 'invalid_payload', 'Unknown team: tm_x'),
    });
    const el = await fixture<CharlaSettingsRouting>(html`<charla-settings-routing lang="en" .client=${api.client}></charla-settings-routing>`);
    await ready(el);
    check(field(el, 'A returning customer goes back to their last agent'), false);
    await el.updateComplete;
    button(root(el), 'Save').click();
    expect((await outcome(el)).alert).to.equal('Unknown team: tm_x');
    expect(button(root(el), 'Save').disabled).to.be.false;
  });
});

describe('charla-settings-routing VIP routing', () => {
  it('sends VIP contacts to a team once the minimum and currency are right, and turns it off', async () => {
    const api = adminApi({
      'GET /api/v1/workspace/routing': [200, ROUTING], 'GET /api/v1/teams': [200, TEAMS],
      'PATCH /api/v1/workspace/routing': (body) => [200, { ...ROUTING, ...body }],
    });
    const el = await fixture<CharlaSettingsRouting>(html`<charla-settings-routing lang="en" .client=${api.client}></charla-settings-routing>`);
    await ready(el);
    const vip = () => root(el).querySelector('fieldset.vip')!;
    expect(() => field(el, 'Minimum lifetime value', vip())).to.throw();
    type(field(el, 'Send VIP contacts to', vip()) as unknown as HTMLSelectElement, 'tm_sales');
    await el.updateComplete;
    const save = button(root(el), 'Save');
    expect(save.disabled, 'a minimum and a currency are needed').to.be.true;
    type(field(el, 'Minimum lifetime value', vip()), '0');
    type(field(el, 'Currency', vip()), 'pesos');
    await el.updateComplete;
    expect([...vip().querySelectorAll('.field-error')].map(text)).to.deep.equal(['A number greater than 0', 'A 3-letter currency code, e.g. MXN']);
    expect(field(el, 'Currency', vip()).getAttribute('aria-invalid')).to.equal('true');
    type(field(el, 'Minimum lifetime value', vip()), '25000');
    type(field(el, 'Currency', vip()), 'mxn');
    await el.updateComplete;
    expect(vip().querySelector('.field-error')).to.be.null;
    save.click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes()[0]!.body.vip).to.deep.equal({ teamId: 'tm_sales', minLifetimeValue: 25000, currency: 'MXN' });
    await expect(el).to.be.accessible();

    type(field(el, 'Send VIP contacts to', vip()) as unknown as HTMLSelectElement, '');
    await el.updateComplete;
    save.click();
    await waitUntil(() => api.writes().length === 2, 'the second save');
    expect(api.writes()[1]!.body.vip).to.equal(null);
  });
});

describe('charla-settings-routing team rules', () => {
  it('adds a rule sending a channel to a team, removes one, and saves them in order', async () => {
    const api = adminApi({
      'GET /api/v1/workspace/routing': [200, { ...ROUTING, rules: [{ label: 'vip', teamId: 'tm_sales' }] }],
      'GET /api/v1/teams': [200, TEAMS],
      'PATCH /api/v1/workspace/routing': (body) => [200, { ...ROUTING, ...body }],
    });
    const el = await fixture<CharlaSettingsRouting>(html`<charla-settings-routing lang="en" .client=${api.client}></charla-settings-routing>`);
    await ready(el);
    const rules = () => [...root(el).querySelectorAll('.rule-list li span')].map(text);
    expect(rules()).to.deep.equal(['label vip → Ventas']);
    const save = button(root(el), 'Save');
    expect(save.disabled).to.be.true;
    type(field(el, 'Value') as unknown as HTMLSelectElement, 'instagram');
    type(field(el, 'Team') as unknown as HTMLSelectElement, 'tm_sales');
    await el.updateComplete;
    button(root(el), 'Add the rule').click();
    await el.updateComplete;
    expect(rules()).to.deep.equal(['label vip → Ventas', 'channel Instagram → Ventas']);
    root(el).querySelector<HTMLButtonElement>('button[aria-label="Remove the rule label vip → Ventas"]')!.click();
    await el.updateComplete;
    expect(save.disabled).to.be.false;
    save.click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes()[0]!.body.rules).to.deep.equal([{ channel: 'instagram', teamId: 'tm_sales' }]);
    expect(save.disabled).to.be.true;
    await expect(el).to.be.accessible();
  });
});

describe('charla-settings skills', () => {
  it('a rule asks for a skill with or without a team; a bad skill cannot be added', async () => {
    const api = adminApi({
      'GET /api/v1/workspace/routing': [200, { ...ROUTING, rules: [] }],
      'GET /api/v1/teams': [200, TEAMS],
      'PATCH /api/v1/workspace/routing': (body) => [200, { ...ROUTING, ...body }],
    });
    const el = await fixture<CharlaSettingsRouting>(html`<charla-settings-routing lang="es" .client=${api.client}></charla-settings-routing>`);
    await ready(el);
    const add = button(root(el), 'Agregar la regla');
    expect(add.disabled, 'a rule needs a team or a skill').to.be.true;
    type(field(el, 'Habilidad'), '<b>');
    await el.updateComplete;
    expect(add.disabled, 'markup is no skill').to.be.true;
    expect(text(root(el))).to.contain('Letras, dígitos, espacios');
    type(field(el, 'Habilidad'), 'Português');
    await el.updateComplete;
    add.click();
    await el.updateComplete;
    type(field(el, 'Habilidad'), 'mayoreo');
    type(field(el, 'Equipo') as unknown as HTMLSelectElement, 'tm_sales');
    await el.updateComplete;
    button(root(el), 'Agregar la regla').click();
    await el.updateComplete;
    expect([...root(el).querySelectorAll('.rule-list li span')].map(text)).to.deep.equal([
      'canal WhatsApp → habilidad português',
      'canal WhatsApp → Ventas, habilidad mayoreo',
    ]);
    button(root(el), 'Guardar').click();
    await outcome(el);
    expect(api.writes()[0]!.body.rules).to.deep.equal([{ channel: 'whatsapp', skill: 'português' }, { channel: 'whatsapp', teamId: 'tm_sales', skill: 'mayoreo' }]);
  });

  it('an admin types an agent\'s skills, saved in lowercase when the field is left', async () => {
    const api = adminApi({
      'GET /api/v1/agents': [200, AGENTS.map((agent) => ({ ...agent, skills: agent.id === 'ag_bruno' ? ['español'] : [] }))],
      'GET /api/v1/teams': [200, TEAMS],
      'GET /api/v1/workspace': [200, WORKSPACE],
      'PATCH /api/v1/agents/ag_bruno': (body) => [200, { ...AGENTS[1], ...body }],
    });
    const el = await fixture<CharlaSettingsTeam>(html`<charla-settings-team lang="en" .client=${api.client}></charla-settings-team>`);
    await ready(el);
    const input = root(el).querySelector<HTMLInputElement>('input[aria-label="Skills of Bruno Costa"]')!;
    expect(input.value).to.equal('español');
    input.value = 'Español, Português, español';
    input.dispatchEvent(new Event('change'));
    expect((await outcome(el)).notice).to.equal('Skills of Bruno Costa saved');
    expect(api.writes()[0]).to.deep.equal({ route: 'PATCH /api/v1/agents/ag_bruno', body: { skills: ['español', 'português'] } });
    await expect(el).to.be.accessible();
  });
});

describe('charla-settings-hours', () => {
  it('sets weekly hours and the time zone; a day that closes before it opens cannot be saved', async () => {
    const api = adminApi({
      'GET /api/v1/workspace': [200, { name: 'Aurora', defaultCountry: 'MX', timezone: 'UTC', currency: 'MXN' }],
      'GET /api/v1/workspace/widget': [200, { widgetKey: 'demo', secret: 'never-shown', settings: { timezone: 'UTC', businessHours: null, preChat: {}, requireVerifiedIdentity: false, hideWhenOffline: false } }],
      'PATCH /api/v1/workspace': (body) => [200, body],
      'PATCH /api/v1/workspace/widget': (body) => [200, body],
    });
    const el = await fixture<CharlaSettingsHours>(html`<charla-settings-hours lang="en" .client=${api.client}></charla-settings-hours>`);
    await ready(el);
    expect(text(root(el))).not.to.contain('never-shown');
    type(field(el, 'Time zone'), 'Mars/Olympus');
    check(field(el, 'Always open'), false);
    await el.updateComplete;
    expect(text(root(el).querySelector('.field-error'))).to.contain('Unknown time zone');
    type(field(el, 'Time zone'), 'America/Mexico_City');
    check(field(el, 'Open on Monday'), true);
    await el.updateComplete;
    type(field(el, 'Monday closes'), '08:00');
    await el.updateComplete;
    expect(text(root(el).querySelector('.field-error'))).to.equal('Closes after it opens');
    expect(button(root(el), 'Save').disabled).to.be.true;
    type(field(el, 'Monday closes'), '17:30');
    await el.updateComplete;
    button(root(el), 'Save').click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes()).to.deep.equal([
      { route: 'PATCH /api/v1/workspace', body: { timezone: 'America/Mexico_City' } },
      { route: 'PATCH /api/v1/workspace/widget', body: { timezone: 'America/Mexico_City', businessHours: [{ day: 1, open: '09:00', close: '17:30' }] } },
    ]);
  });
});

const WA_VIEW = { channel: 'whatsapp', configured: true, ids: { phoneNumberId: '1065', wabaId: '1022', datasetId: null }, secrets: { accessToken: true, appSecret: true, verifyToken: false } };
const IG_VIEW = { channel: 'instagram', configured: false, ids: { accountId: null }, secrets: { accessToken: false, appSecret: false, verifyToken: false } };
const FB_VIEW = { channel: 'messenger', configured: false, ids: { pageId: null }, secrets: { accessToken: false, appSecret: false, verifyToken: false } };
const EMAIL_VIEW = {
  channel: 'email', configured: false, ids: { address: null, fromName: null, signature: null, inboxKey: null },
  secrets: { inboundSecret: false, smtpUrl: false, imapUrl: false },
};
const META_VIEWS = { 'GET /api/v1/channels/messenger': [200, FB_VIEW], 'GET /api/v1/channels/email/inboxes': [200, { inboxes: [] }] } as const satisfies Record<string, Answer>;

describe('charla-settings-channels', () => {
  it('never shows a secret, sends only what was typed, syncs templates and checks the webhook', async () => {
    const api = adminApi({
      'GET /api/v1/channels/whatsapp': [200, WA_VIEW],
      'GET /api/v1/channels/instagram': [200, IG_VIEW],
      ...META_VIEWS,
      'GET /api/v1/channels/whatsapp/templates': [200, { templates: [] }],
      'PUT /api/v1/channels/whatsapp': [200, { ...WA_VIEW, secrets: { ...WA_VIEW.secrets, verifyToken: true } }],
      'POST /api/v1/channels/whatsapp/templates/sync': [200, { templates: [{ name: 'order_update', language: 'es_MX', status: 'APPROVED', category: 'UTILITY', components: [] }] }],
    });
    const el = await fixture<CharlaSettingsChannels>(html`<charla-settings-channels lang="en" .client=${api.client}></charla-settings-channels>`);
    await ready(el);
    const whatsapp = root(el).querySelector('form[data-channel="whatsapp"]')!;
    const token = field(el, 'Access token', whatsapp);
    expect(token.type).to.equal('password');
    expect(token.value).to.equal('');
    expect(token.placeholder).to.equal('Saved (hidden)');
    expect(field(el, 'Webhook verify token', whatsapp).placeholder).to.equal('Not set');
    expect(text(whatsapp.querySelector('h3'))).to.contain('Connected');
    expect(text(root(el).querySelector('form[data-channel="instagram"] h3'))).to.contain('Not connected');

    type(field(el, 'Webhook verify token', whatsapp), 'aurora-verify');
    await el.updateComplete;
    button(whatsapp, 'Save').click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes()).to.deep.equal([{ route: 'PUT /api/v1/channels/whatsapp', body: { verifyToken: 'aurora-verify' } }]);
    // Saved secrets are not kept in the form either.
    expect(field(el, 'Webhook verify token', whatsapp).value).to.equal('');
    expect(field(el, 'Webhook verify token', whatsapp).placeholder).to.equal('Saved (hidden)');

    expect(text(root(el).querySelector('section.card'))).to.contain('No templates synced yet');
    button(root(el), 'Sync templates').click();
    await waitUntil(() => text(root(el).querySelector('.notice')) === '1 templates synced');
    expect(text(root(el).querySelector('section.card tbody'))).to.contain('order_update').and.contain('APPROVED');
    await expect(el).to.be.accessible();
  });

  it('connects Messenger and email inboxes: addresses and SMTP URLs checked before saving, secrets never shown, the webhook URL given; another inbox added, one removed', async () => {
    const saved = {
      ...EMAIL_VIEW, id: 'inb_abc', configured: true, ids: { address: 'soporte@aurora.test', fromName: 'Aurora', signature: null, inboxKey: 'inb_abc', smtpTlsCa: null },
      secrets: { inboundSecret: true, smtpUrl: true, imapUrl: false },
    };
    const sales = { ...saved, id: 'inb_def', ids: { ...saved.ids, address: 'ventas@aurora.test', fromName: null, inboxKey: 'inb_def' }, secrets: { ...saved.secrets, inboundSecret: false } };
    let posts = 0;
    const api = adminApi({
      'GET /api/v1/channels/whatsapp': [200, WA_VIEW],
      'GET /api/v1/channels/instagram': [200, IG_VIEW],
      ...META_VIEWS,
      'GET /api/v1/channels/whatsapp/templates': [200, { templates: [] }],
      'POST /api/v1/channels/email/inboxes': () => [201, (posts += 1) === 1 ? saved : sales],
      'DELETE /api/v1/channels/email/inboxes/inb_abc': [204, null],
    });
    const el = await fixture<CharlaSettingsChannels>(html`<charla-settings-channels lang="en" .client=${api.client}></charla-settings-channels>`);
    await ready(el);
    const messenger = root(el).querySelector('form[data-channel="messenger"]')!;
    expect(text(messenger.querySelector('h3'))).to.contain('Messenger').and.contain('Not connected');
    expect(field(el, 'Facebook Page id', messenger)).to.exist;
    const email = root(el).querySelector('form[data-channel="email"][data-inbox="new"]')!;
    expect(text(email.querySelector('h3')), 'with no inbox yet, the form adds one').to.equal('New email inbox');
    type(field(el, 'Inbox address', email), 'soporte');
    type(field(el, 'SMTP server (smtps://user:password@host:465)', email), 'http://mail');
    type(field(el, 'SMTP certificate authority (PEM, optional: for a server with a certificate of your own)', email), 'not a certificate');
    await el.updateComplete;
    email.dispatchEvent(new Event('submit', { cancelable: true }));
    await el.updateComplete;
    expect(text(email)).to.contain('Not an email address');
    expect(text(email)).to.contain('Use smtps://user:password@host:port');
    expect(text(email)).to.contain('Paste a PEM certificate');
    expect(api.writes(), 'nothing is sent while invalid').to.deep.equal([]);
    type(field(el, 'Inbox address', email), 'soporte@aurora.test');
    type(field(el, 'Sender name', email), 'Aurora');
    type(field(el, 'SMTP server (smtps://user:password@host:465)', email), 'smtps://soporte:clave@smtp.aurora.test:465');
    type(field(el, 'Inbound webhook secret (16+ characters)', email), 'a-long-inbound-secret');
    type(field(el, 'SMTP certificate authority (PEM, optional: for a server with a certificate of your own)', email), '');
    await el.updateComplete;
    button(email, 'Add an inbox').click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes()).to.deep.equal([{
      route: 'POST /api/v1/channels/email/inboxes',
      body: { address: 'soporte@aurora.test', fromName: 'Aurora', inboundSecret: 'a-long-inbound-secret', smtpUrl: 'smtps://soporte:clave@smtp.aurora.test:465' },
    }]);
    const after = root(el).querySelector('form[data-channel="email"][data-inbox="inb_abc"]')!;
    expect(field(el, 'SMTP server (smtps://user:password@host:465)', after).value, 'the password is not kept in the form').to.equal('');
    expect(text(after)).to.contain('POST /webhooks/email/inb_abc');
    expect(text(after.querySelector('h3'))).to.contain('soporte@aurora.test').and.contain('Connected');
    expect(root(el).querySelector('form[data-inbox="new"]'), 'the new-inbox form closes').to.be.null;
    await expect(el).to.be.accessible();

    // A second inbox.
    button(root(el), 'Add an inbox').click();
    await el.updateComplete;
    const second = root(el).querySelector('form[data-channel="email"][data-inbox="new"]')!;
    type(field(el, 'Inbox address', second), 'ventas@aurora.test');
    type(field(el, 'SMTP server (smtps://user:password@host:465)', second), 'smtps://ventas:clave@smtp.aurora.test:465');
    await el.updateComplete;
    button(second, 'Add an inbox').click();
    await waitUntil(() => root(el).querySelector('form[data-inbox="inb_def"]'), 'the second inbox shows');
    expect(api.writes().at(-1)).to.deep.equal({ route: 'POST /api/v1/channels/email/inboxes', body: { address: 'ventas@aurora.test', smtpUrl: 'smtps://ventas:clave@smtp.aurora.test:465' } });

    // Removing asks first.
    const first = root(el).querySelector('form[data-inbox="inb_abc"]')!;
    button(first, 'Remove inbox').click();
    await el.updateComplete;
    expect(text(first.querySelector('[role="alert"]'))).to.contain('Remove soporte@aurora.test?');
    expect(api.writes().some((w) => w.route.startsWith('DELETE')), 'nothing removed before the confirmation').to.be.false;
    first.querySelector<HTMLButtonElement>('button.danger')!.click();
    await waitUntil(() => !root(el).querySelector('form[data-inbox="inb_abc"]'), 'the inbox is gone');
    expect(api.writes().at(-1)).to.deep.equal({ route: 'DELETE /api/v1/channels/email/inboxes/inb_abc', body: undefined });
    expect(text(root(el).querySelector('.notice'))).to.equal('Inbox removed');
    expect(root(el).querySelectorAll('form[data-channel="email"]').length).to.equal(1);
  });

  it('says when the template sync is refused', async () => {
    const api = adminApi({
      'GET /api/v1/channels/whatsapp': [200, WA_VIEW],
      'GET /api/v1/channels/instagram': [200, IG_VIEW],
      ...META_VIEWS,
      'GET /api/v1/channels/whatsapp/templates': [200, { templates: [] }],
      'POST /api/v1/channels/whatsapp/templates/sync': refusal(400, 'invalid_payload', 'The Graph API refused: invalid token'),
    });
    const el = await fixture<CharlaSettingsChannels>(html`<charla-settings-channels lang="en" .client=${api.client}></charla-settings-channels>`);
    await ready(el);
    button(root(el), 'Sync templates').click();
    expect((await outcome(el)).alert).to.equal('The Graph API refused: invalid token');
  });
});

describe('charla-settings-widget', () => {
  const CONFIG = { widgetKey: 'demo', secret: 'the-stored-secret', settings: { timezone: 'UTC', businessHours: null, requireVerifiedIdentity: false, hideWhenOffline: false, preChat: { name: 'off', email: 'off', phone: 'off' }, color: null, greeting: null } };
  it('saves the color, greeting, pre-chat form and identity verification; a new secret is shown once, the stored one never', async () => {
    const api = adminApi({
      'GET /api/v1/workspace/widget': [200, CONFIG],
      'PATCH /api/v1/workspace/widget': (body) => [200, { ...CONFIG, settings: { ...CONFIG.settings, ...body } }],
      'POST /api/v1/workspace/widget/secret': [200, { ...CONFIG, secret: 'fresh-secret-123' }],
    });
    const el = await fixture<CharlaSettingsWidget>(html`<charla-settings-widget lang="en" .client=${api.client}></charla-settings-widget>`);
    await ready(el);
    expect(text(root(el))).not.to.contain('the-stored-secret');
    type(field(el, 'Main color'), 'blue');
    await el.updateComplete;
    expect(text(root(el).querySelector('.field-error'))).to.equal('A color is #rrggbb, e.g. #0b5cad');
    expect(button(root(el), 'Save').disabled).to.be.true;
    type(field(el, 'Main color'), '#0b5cad');
    type(field(el, 'Greeting'), 'Hi! We answer within minutes.');
    type(field(el, 'Email') as unknown as HTMLSelectElement, 'required');
    check(field(el, 'Only trust visitors your site signed (identity verification)'), true);
    await el.updateComplete;
    button(root(el), 'Save').click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes()[0]).to.deep.equal({
      route: 'PATCH /api/v1/workspace/widget',
      body: {
        requireVerifiedIdentity: true, hideWhenOffline: false, preChat: { name: 'off', email: 'required', phone: 'off' },
        color: '#0b5cad', greeting: 'Hi! We answer within minutes.',
      },
    });
    button(root(el), 'Make a new secret').click();
    await waitUntil(() => text(root(el)).includes('fresh-secret-123'));
    await expect(el).to.be.accessible();
  });
  it('writes the launcher\'s text and color into the embed code, leaving out what is not valid', async () => {
    const api = adminApi({ 'GET /api/v1/workspace/widget': [200, { ...CONFIG, widgetKey: 'aurora"shop', settings: { ...CONFIG.settings, color: '#0b5cad' } }] });
    const el = await fixture<CharlaSettingsWidget>(html`<charla-settings-widget lang="es" .client=${api.client}></charla-settings-widget>`);
    await ready(el);
    const embed = root(el).querySelector('section.embed')!;
    const code = () => field(el, 'Código para insertar', embed).value;
    expect(code()).to.equal(`<script src="${location.origin}/widget.js" data-workspace="aurora&quot;shop" data-color="#0b5cad" async></script>`);
    type(field(el, 'Texto del botón (vacío: solo el icono)', embed), 'Escríbenos <ya>');
    type(field(el, 'Color del botón', embed), 'rojo');
    await el.updateComplete;
    expect(text(embed.querySelector('.field-error'))).to.equal('Un color es #rrggbb, p. ej. #0b5cad');
    expect(code()).to.equal(`<script src="${location.origin}/widget.js" data-workspace="aurora&quot;shop" data-launcher-text="Escríbenos &lt;ya&gt;" async></script>`);
    type(field(el, 'Color del botón', embed), '#c2410c');
    await el.updateComplete;
    expect(code()).to.contain('data-color="#c2410c"');
    expect(api.writes(), 'nothing is saved on the server').to.deep.equal([]);
    await expect(el).to.be.accessible();
  });
});

describe('charla-settings-canned', () => {
  it('adds a canned response once valid, and shows a refusal', async () => {
    let taken = false;
    const api = adminApi({
      'GET /api/v1/canned-responses': [200, []],
      'POST /api/v1/canned-responses': (body) => (taken
        ? refusal(409, 'conflict', 'shortcut: /hola is taken')
        : [201, { id: 'cr_1', workspaceId: 'ws', createdAt: '', updatedAt: '', ...body }]),
    });
    const el = await fixture<CharlaSettingsCanned>(html`<charla-settings-canned lang="en" .client=${api.client}></charla-settings-canned>`);
    await ready(el);
    expect(text(root(el).querySelector('.empty'))).to.equal('No canned responses yet');
    const form = root(el).querySelector('form.new-canned')!;
    type(field(el, 'Shortcut', form), 'Hola Amigo');
    type(field(el, 'Title', form), 'Saludo');
    type(field(el, 'Text', form), '¡Hola! ¿En qué te ayudo?');
    await el.updateComplete;
    expect(text(form.querySelector('.field-error'))).to.equal('1–32 lowercase letters, digits, - or _');
    type(field(el, 'Shortcut', form), 'Hola');
    await el.updateComplete;
    button(form, 'Create').click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes()[0]!.body).to.deep.equal({ shortcut: 'hola', title: 'Saludo', body: '¡Hola! ¿En qué te ayudo?' });
    expect(root(el).querySelectorAll('form.canned')).to.have.length(1);

    taken = true;
    const again = root(el).querySelector('form.new-canned')!;
    type(field(el, 'Shortcut', again), 'hola');
    type(field(el, 'Title', again), 'Otro');
    type(field(el, 'Text', again), 'Hola otra vez');
    await el.updateComplete;
    button(again, 'Create').click();
    await waitUntil(() => text(root(el).querySelector('[role="alert"]')) === 'shortcut: /hola is taken');
    expect(root(el).querySelectorAll('form.canned')).to.have.length(1);
  });
});

describe('charla-settings-pipelines', () => {
  it('renames stages keeping the ones whose name stays, and adds new ones', async () => {
    const pipeline = {
      id: 'pl_1', workspaceId: 'ws', name: 'Ventas', position: 0, createdAt: '',
      stages: [
        { id: 'st_a', pipelineId: 'pl_1', name: 'Nuevo', position: 0, kind: 'open', probability: 10, stalledAfterDays: null },
        { id: 'st_b', pipelineId: 'pl_1', name: 'Cotizado', position: 1, kind: 'open', probability: 50, stalledAfterDays: null },
        { id: 'st_w', pipelineId: 'pl_1', name: 'Ganado', position: 2, kind: 'won', probability: 100, stalledAfterDays: null },
      ],
    };
    const api = adminApi({
      'GET /api/v1/pipelines': [200, [pipeline]],
      'PATCH /api/v1/pipelines/pl_1': refusal(409, 'conflict', 'Stage Nuevo still has deals'),
    });
    const el = await fixture<CharlaSettingsPipelines>(html`<charla-settings-pipelines lang="en" .client=${api.client}></charla-settings-pipelines>`);
    await ready(el);
    const form = root(el).querySelector('form.pipeline')!;
    expect(field(el, 'Open stages, one per line', form).value).to.equal('Nuevo\nCotizado');
    type(field(el, 'Open stages, one per line', form), 'Cotizado\nNegociación\n');
    await el.updateComplete;
    button(form, 'Save').click();
    expect((await outcome(el)).alert).to.equal('Stage Nuevo still has deals');
    expect(api.writes()[0]!.body).to.deep.equal({
      stages: [{ id: 'st_b', name: 'Cotizado', probability: 50, stalledAfterDays: null }, { name: 'Negociación' }],
    });
  });

  it('sets each stage\'s win probability and stalled days, with the errors beside the fields', async () => {
    const pipeline = {
      id: 'pl_1', workspaceId: 'ws', name: 'Ventas', position: 0, createdAt: '',
      stages: [
        { id: 'st_a', pipelineId: 'pl_1', name: 'Nuevo', position: 0, kind: 'open', probability: 10, stalledAfterDays: null },
        { id: 'st_b', pipelineId: 'pl_1', name: 'Cotizado', position: 1, kind: 'open', probability: 50, stalledAfterDays: 7 },
        { id: 'st_w', pipelineId: 'pl_1', name: 'Ganado', position: 2, kind: 'won', probability: 100, stalledAfterDays: null },
      ],
    };
    const api = adminApi({
      'GET /api/v1/pipelines': [200, [pipeline]],
      'PATCH /api/v1/pipelines/pl_1': (body) => [200, { ...pipeline, stages: pipeline.stages.map((stage) => ({ ...stage, ...body.stages.find((s: { id: string }) => s.id === stage.id) })) }],
    });
    const el = await fixture<CharlaSettingsPipelines>(html`<charla-settings-pipelines lang="pt" .client=${api.client}></charla-settings-pipelines>`);
    await ready(el);
    const form = root(el).querySelector('form.pipeline')!;
    expect(field(el, 'Cotizado: parado após (dias)', form).value).to.equal('7');
    type(field(el, 'Nuevo: probabilidade de ganhar (%)', form), '150');
    type(field(el, 'Cotizado: parado após (dias)', form), '0');
    await el.updateComplete;
    expect([...form.querySelectorAll('.field-error')].map(text)).to.deep.equal(['Um número inteiro de 0 a 100', 'Um número inteiro de 1 a 3650']);
    expect(button(form, 'Salvar').disabled).to.be.true;
    type(field(el, 'Nuevo: probabilidade de ganhar (%)', form), '20');
    type(field(el, 'Nuevo: parado após (dias)', form), '14');
    type(field(el, 'Cotizado: parado após (dias)', form), '');
    await el.updateComplete;
    button(form, 'Salvar').click();
    expect((await outcome(el)).notice).to.equal('Salvo');
    expect(api.writes()[0]!.body).to.deep.equal({
      stages: [{ id: 'st_a', name: 'Nuevo', probability: 20, stalledAfterDays: 14 }, { id: 'st_b', name: 'Cotizado', probability: 50, stalledAfterDays: null }],
    });
    await expect(el).to.be.accessible();
  });
});

describe('charla-settings-ai', () => {
  it('shows the provider and saves the qualifying score and pipeline', async () => {
    const api = adminApi({
      'GET /api/v1/ai/settings': [200, { qualifyThreshold: null, pipelineId: null, provider: 'heuristic' }],
      'GET /api/v1/pipelines': [200, [{ id: 'pl_1', name: 'Ventas', stages: [] }]],
      'PATCH /api/v1/ai/settings': (body) => [200, body],
    });
    const el = await fixture<CharlaSettingsAi>(html`<charla-settings-ai lang="pt" .client=${api.client}></charla-settings-ai>`);
    await ready(el);
    expect(text(root(el).querySelector('.provider'))).to.equal('Provedor: Heurística embutida (offline, sem chave de API)');
    type(field(el, 'Qualificar um lead a partir da pontuação (1–100; vazio: nunca automaticamente)'), '101');
    await el.updateComplete;
    expect(text(root(el).querySelector('.field-error'))).to.equal('Um número inteiro de 1 a 100');
    type(field(el, 'Qualificar um lead a partir da pontuação (1–100; vazio: nunca automaticamente)'), '70');
    type(field(el, 'Funil para leads qualificados') as unknown as HTMLSelectElement, 'pl_1');
    await el.updateComplete;
    button(root(el), 'Salvar').click();
    expect((await outcome(el)).notice).to.equal('Salvo');
    expect(api.writes()[0]!.body).to.deep.equal({ qualifyThreshold: 70, pipelineId: 'pl_1' });
  });
});

describe('charla-settings-privacy', () => {
  it('keeps everything until a number of months is set; refuses a wrong one; saves months and what happens then', async () => {
    const api = adminApi({
      'GET /api/v1/privacy/settings': [200, { retentionMonths: null, retentionAction: 'delete' }],
      'PUT /api/v1/privacy/settings': (body) => [200, body],
    });
    const el = await fixture<CharlaSettingsPrivacy>(html`<charla-settings-privacy lang="es" .client=${api.client}></charla-settings-privacy>`);
    await ready(el);
    const months = field(el, 'Conservar contactos y conversaciones inactivos durante (meses; vacío: siempre)');
    expect(months.value).to.equal('');
    type(months, '0');
    await el.updateComplete;
    expect(text(root(el).querySelector('.field-error'))).to.equal('Un número entero de 1 a 240');
    expect(button(root(el), 'Guardar').disabled).to.be.true;
    type(months, '24');
    type(field(el, 'Después') as unknown as HTMLSelectElement, 'anonymize');
    await el.updateComplete;
    button(root(el), 'Guardar').click();
    expect((await outcome(el)).notice).to.equal('Guardado');
    expect(api.writes()[0]!.body).to.deep.equal({ retentionMonths: 24, retentionAction: 'anonymize' });
    await expect(el).to.be.accessible();
  });
});

describe('charla-settings-activity', () => {
  const ENTRIES = [
    {
      id: 'aud_3', actorKind: 'agent', actorId: 'ag_bruno', actorName: 'Bruno Costa', action: 'contact.data_export.refused', targetKind: 'contact', targetId: 'ct_1',
      data: { role: 'agent', needed: 'admin' }, createdAt: '2026-03-02T15:00:00.000Z',
    },
    {
      id: 'aud_2', actorKind: 'agent', actorId: 'ag_ana', actorName: 'Ana García', action: 'contact.update', targetKind: 'contact', targetId: 'ct_1',
      data: { fields: ['email'], changes: { email: { from: null, to: '<b>eva</b>@correo.mx' } } }, createdAt: '2026-03-02T14:00:00.000Z',
    },
    { id: 'aud_1', actorKind: 'system', actorId: null, actorName: null, action: 'contact.erase', targetKind: 'contact', targetId: 'ct_0', data: { redacted: true }, createdAt: '2026-03-01T10:00:00.000Z' },
  ];
  const OLDER = { id: 'aud_0', actorKind: 'agent', actorId: 'ag_gone', actorName: null, action: 'contacts.export', targetKind: 'workspace', targetId: 'ws', data: { format: 'csv' }, createdAt: '2026-02-27T10:00:00.000Z' };

  it('lists who did what and when, newest first, with refusals, changes as text and erased people\'s entries redacted; pages back; filters by who', async () => {
    const api = adminApi({
      'GET /api/v1/agents': [200, AGENTS],
      'GET /api/v1/audit?limit=50': [200, { entries: ENTRIES, nextCursor: 'c1' }],
      'GET /api/v1/audit?limit=50&cursor=c1': [200, { entries: [OLDER], nextCursor: null }],
      'GET /api/v1/audit?limit=50&actor=ag_bruno': [200, { entries: [ENTRIES[0]], nextCursor: null }],
    });
    const el = await fixture<CharlaSettingsActivity>(html`<charla-settings-activity lang="en" style="width: 900px" .client=${api.client}></charla-settings-activity>`);
    await ready(el);
    const rows = () => [...root(el).querySelectorAll('tbody tr')].map(text);
    expect(rows()).to.have.length(3);
    expect(rows()[0]).to.contain('Bruno Costa').and.contain('Personal data exported').and.contain('refused').and.contain('needed: admin');
    expect(rows()[1]).to.contain('Ana García').and.contain('contact.update').and.contain('email: — → <b>eva</b>@correo.mx');
    expect(root(el).querySelector('tbody b'), 'what people typed stays text').to.be.null;
    expect(rows()[2]).to.contain('Charla (automatic)').and.contain('Contact erased').and.contain('Erased person: details removed');
    await expect(el).to.be.accessible();
    button(root(el), 'Show older').click();
    await waitUntil(() => rows().length === 4, 'the older page is added');
    expect(rows()[3]).to.contain('A former agent').and.contain('Contacts exported');
    expect(button(root(el), 'Show older')).to.be.undefined;
    type(field(el, 'Who') as unknown as HTMLSelectElement, 'ag_bruno');
    await waitUntil(() => rows().length === 1, 'filtered');
    expect(api.requests.at(-1)!.route).to.equal('GET /api/v1/audit?limit=50&actor=ag_bruno');
  });

  it('says when nothing matches, and shows a failed load with a retry', async () => {
    let fail = true;
    const api = adminApi({
      'GET /api/v1/agents': [200, AGENTS],
      'GET /api/v1/audit?limit=50': () => (fail ? refusal(500, 'internal', 'Something went wrong on the server') : [200, { entries: [], nextCursor: null }]),
    });
    const el = await fixture<CharlaSettingsActivity>(html`<charla-settings-activity lang="pt" .client=${api.client}></charla-settings-activity>`);
    await waitUntil(() => root(el).querySelector('[role="alert"]'), 'the failure shows');
    expect(text(root(el).querySelector('[role="alert"]'))).to.contain('Something went wrong on the server');
    fail = false;
    button(root(el), 'Tentar de novo').click();
    await waitUntil(() => text(root(el).querySelector('p.empty')) === 'Nada registrado com estes filtros', 'the empty state');
  });
});

describe('charla-settings', () => {
  const api = () => adminApi({
    'GET /api/v1/agents': [200, AGENTS],
    'GET /api/v1/teams': [200, TEAMS],
    'GET /api/v1/workspace': [200, WORKSPACE],
    'GET /api/v1/workspace/routing': [200, ROUTING],
  });

  it('lists the sections; the arrow keys move along them and a click opens one', async () => {
    const el = await fixture<CharlaSettings>(html`<charla-settings lang="es" style="width: 1000px" .client=${api().client}></charla-settings>`);
    const buttons = [...root(el).querySelectorAll<HTMLButtonElement>('nav button')];
    expect(buttons.map(text)).to.deep.equal([
      'Agentes y equipos', 'Reparto y SLA', 'Horario y zona horaria', 'Canales', 'Widget web', 'Respuestas rápidas', 'Embudos y etapas', 'IA',
      'Encuestas de satisfacción', 'Privacidad', 'Actividad',
    ]);
    expect(buttons[0]!.getAttribute('aria-current')).to.equal('page');
    buttons[0]!.focus();
    buttons[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    expect(root(el).activeElement).to.equal(buttons[1]);
    buttons[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, composed: true }));
    expect(root(el).activeElement).to.equal(buttons[10]);
    setTimeout(() => buttons[1]!.click());
    const event = await new Promise<CustomEvent>((resolve) => el.addEventListener('charla-settings-section-change', resolve as EventListener, { once: true }));
    expect(event.detail).to.deep.equal({ section: 'routing' });
    await el.updateComplete;
    expect(root(el).querySelector('charla-settings-routing')).to.exist;
    expect(root(el).querySelector('charla-settings-team')).to.be.null;
    await expect(el).to.be.accessible();
  });

  it('focus() lands on the open section\'s first field once it has loaded; on a phone, on the section in the list', async () => {
    const wide = await fixture<CharlaSettings>(html`<charla-settings lang="en" style="width: 1000px" .client=${api().client}></charla-settings>`);
    wide.focus();
    const team = root(wide).querySelector<CharlaSettingsTeam>('charla-settings-team')!;
    await waitUntil(() => document.activeElement === wide && root(wide).activeElement === team && root(team).activeElement, 'focus waits for the section');
    const first = root(team).activeElement!;
    expect(first.getAttribute('aria-label')).to.equal('Skills of Ana García', 'the first field one can change (her own role is locked, her skills are not)');

    const phone = await fixture<CharlaSettings>(html`<charla-settings lang="en" style="width: 390px" .client=${api().client}></charla-settings>`);
    phone.focus();
    expect(root(phone).activeElement).to.equal(root(phone).querySelector('nav button[data-section="team"]'));
  });

  it('on a phone shows the list first, then the section with a way back', async () => {
    const el = await fixture<CharlaSettings>(html`<charla-settings lang="en" style="width: 390px" .client=${api().client}></charla-settings>`);
    const panel = root(el).querySelector<HTMLElement>('.panel')!;
    const nav = root(el).querySelector<HTMLElement>('nav')!;
    expect(getComputedStyle(panel).display).to.equal('none');
    root(el).querySelector<HTMLButtonElement>('nav button[data-section="team"]')!.click();
    await el.updateComplete;
    expect(getComputedStyle(nav).display).to.equal('none');
    expect(getComputedStyle(panel).display).not.to.equal('none');
    const back = root(el).querySelector<HTMLButtonElement>('.back')!;
    await waitUntil(() => root(el).activeElement === back, 'focus moves to the way back');
    back.click();
    await el.updateComplete;
    expect(getComputedStyle(panel).display).to.equal('none');
    await waitUntil(() => root(el).activeElement === root(el).querySelector('nav button[data-section="team"]'));
  });
});

const CSAT = { enabled: false, questions: {}, channelLanguage: 'es', expiresHours: 72 };
/** The survey settings as the server keeps them: a PATCH changes what it names, null or '' goes back to the default. */
function csatApi(first: Partial<typeof CSAT> & { questions?: Record<string, string> } = {}) {
  let settings = { ...CSAT, ...first };
  const asked = () => ({ es: '¿Cómo calificarías la atención que recibiste?', en: 'How would you rate the help you received?', pt: 'Como você avalia o atendimento que recebeu?', ...settings.questions });
  return adminApi({
    'GET /api/v1/csat/settings': () => [200, { ...settings, asked: asked() }],
    'PATCH /api/v1/csat/settings': (body) => {
      if (body.expiresHours === 500) return refusal(400, 'invalid_payload', 'expiresHours: The server says no');
      const questions: Record<string, string> = { ...settings.questions };
      for (const [language, text] of Object.entries(body.questions ?? {})) {
        if (text) questions[language] = text as string;
        else delete questions[language];
      }
      settings = { ...settings, ...body, questions };
      return [200, { ...settings, asked: asked() }];
    },
  });
}

describe('charla-settings-csat', () => {
  it('turns surveys on and writes the question per language, sending only what changed; the default shows where none is written', async () => {
    const api = csatApi({ questions: { en: 'How did we do?' } });
    const el = await fixture<CharlaSettingsCsat>(html`<charla-settings-csat lang="en" .client=${api.client}></charla-settings-csat>`);
    await ready(el);
    expect(text(root(el).querySelector('[part="heading"]'))).to.equal('Satisfaction surveys');
    const enabled = field(el, 'Ask customers to rate resolved conversations');
    expect(enabled.checked).to.be.false;
    expect(field(el, 'English').value).to.equal('How did we do?');
    expect(field(el, 'Spanish').value).to.equal('');
    expect(field(el, 'Spanish').placeholder, 'the default question shows').to.equal('¿Cómo calificarías la atención que recibiste?');
    expect(text(root(el).querySelector('legend'))).to.equal('The question, per language');
    const save = button(root(el), 'Save');
    expect(save.disabled, 'nothing changed yet').to.be.true;

    check(enabled, true);
    type(field(el, 'Spanish'), '  ¿Qué tal te atendimos?  ');
    type(field(el, 'English'), '');
    await el.updateComplete;
    save.click();
    expect((await outcome(el)).notice).to.equal('Saved');
    expect(api.writes().map((w) => w.body)).to.deep.equal([{ enabled: true, questions: { es: '¿Qué tal te atendimos?', en: null } }]);
    expect(field(el, 'Spanish').value, 'what the server kept').to.equal('¿Qué tal te atendimos?');
    expect(field(el, 'English').placeholder).to.equal('How would you rate the help you received?');
    expect(save.disabled).to.be.true;

    type(field(el, 'Language on WhatsApp and Instagram') as unknown as HTMLSelectElement, 'pt');
    await el.updateComplete;
    button(root(el), 'Save').click();
    await waitUntil(() => api.writes().length === 2, 'the second save');
    expect(api.writes()[1]!.body).to.deep.equal({ channelLanguage: 'pt' });
    await expect(el).to.be.accessible();
  });

  it('shows what is wrong beside a field and keeps Save off; a refusal is said and changes nothing', async () => {
    const api = csatApi();
    const el = await fixture<CharlaSettingsCsat>(html`<charla-settings-csat lang="es" .client=${api.client}></charla-settings-csat>`);
    await ready(el);
    await waitUntil(() => text(root(el).querySelector('legend')) === 'La pregunta, por idioma', 'the Spanish strings load');
    type(field(el, 'Portugués'), 'x'.repeat(301));
    type(field(el, 'Una encuesta sin respuesta se cierra tras (horas, 1–720)'), '0');
    await el.updateComplete;
    expect([...root(el).querySelectorAll('.field-error')].map(text)).to.deep.equal(['Como máximo 300 caracteres (ahora 301)', 'Un número entero de 1 a 720']);
    expect(field(el, 'Portugués').getAttribute('aria-invalid')).to.equal('true');
    expect(button(root(el), 'Guardar').disabled).to.be.true;
    expect(api.writes()).to.deep.equal([]);

    type(field(el, 'Portugués'), '');
    type(field(el, 'Una encuesta sin respuesta se cierra tras (horas, 1–720)'), '500');
    await el.updateComplete;
    button(root(el), 'Guardar').click();
    expect((await outcome(el)).alert).to.equal('expiresHours: The server says no');
    expect(button(root(el), 'Guardar').disabled, 'the change stays to fix or retry').to.be.false;
  });

  it('is a section of charla-settings, after AI', async () => {
    const el = await fixture<CharlaSettings>(html`<charla-settings lang="en" style="width: 1000px" section="csat" .client=${csatApi().client}></charla-settings>`);
    const names = [...root(el).querySelectorAll('nav button')].map((b) => b.getAttribute('data-section'));
    expect(names.indexOf('csat')).to.equal(names.indexOf('ai') + 1);
    expect(text(root(el).querySelector('nav button[data-section="csat"]'))).to.equal('Satisfaction surveys');
    await waitUntil(() => root(el).querySelector('charla-settings-csat'), 'the section shows');
  });
});
