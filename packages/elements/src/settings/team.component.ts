import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { CharlaClient } from '@charla/client';
import type { AgentRole, AgentVisibility, Team, WorkspaceAgent, WorkspaceSettings } from '@charla/protocol';
import { EMAIL, FormModel, SettingsSection, type Draft } from './settings-section.js';
import { isSkillOrEmpty } from './routing.component.js';

const ROLES: readonly AgentRole[] = ['admin', 'agent', 'viewer'];

type NewAgent = { name: string; email: string; role: string };

/**
 * Agents and teams: the workspace's agents with their role and status (add one, change a role,
 * deactivate or bring back), its teams (create, rename, choose members, delete), and which
 * conversations agents see (all, or their teams').
 *
 * @tag charla-settings-team
 * @csspart heading - The section's title.
 * @csspart body - The section's content.
 */
export class CharlaSettingsTeam extends SettingsSection {
  protected readonly heading = 'team' as const;
  protected readonly hint = 'teamHint' as const;
  @state() private agents: WorkspaceAgent[] = [];
  @state() private teams: Team[] = [];
  #newAgent = this.#agentForm();
  #newTeam = new FormModel<{ name: string }>({ name: '' }, (d) => ({ name: d.name.trim() ? null : this.t('required') }), () => this.requestUpdate());
  /** Per team: its name and members being edited. */
  #teamForms = new Map<string, FormModel<Draft>>();
  #visibility = this.#visibilityForm('all');

  #visibilityForm(agentVisibility: AgentVisibility): FormModel<{ agentVisibility: string }> {
    return new FormModel<{ agentVisibility: string }>({ agentVisibility }, () => ({}), () => this.requestUpdate());
  }

  #agentForm(): FormModel<NewAgent> {
    return new FormModel<NewAgent>({ name: '', email: '', role: 'agent' }, (d) => ({
      name: d.name.trim() ? null : this.t('required'),
      email: !d.email.trim() ? this.t('required') : EMAIL.test(d.email.trim()) ? null : this.t('invalidEmail'),
    }), () => this.requestUpdate());
  }

  protected async load(): Promise<void> {
    const [agents, teams, workspace] = await Promise.all([
      this.api<WorkspaceAgent[]>('GET', '/api/v1/agents'),
      this.api<Team[]>('GET', '/api/v1/teams'),
      this.api<WorkspaceSettings>('GET', '/api/v1/workspace'),
    ]);
    this.agents = agents;
    this.#setTeams(teams);
    this.#visibility = this.#visibilityForm(workspace.agentVisibility);
  }

  #setTeams(teams: Team[]): void {
    this.teams = teams;
    this.#teamForms = new Map(teams.map((team) => [team.id, this.#teamForm(team)]));
  }

  #teamForm(team: Team): FormModel<Draft> {
    const values: Draft = { name: team.name };
    for (const agent of this.agents) values[`member:${agent.id}`] = team.agentIds.includes(agent.id);
    return new FormModel<Draft>(values, (d) => ({ name: String(d.name).trim() ? null : this.t('required') }), () => this.requestUpdate());
  }

  #roleName(role: AgentRole): string {
    return this.t(role);
  }

  async #addAgent(event: Event): Promise<void> {
    event.preventDefault();
    const form = this.#newAgent;
    if (!form.dirty || !form.valid) return;
    const { name, email, role } = form.draft;
    await this.act(async () => {
      const agent = await this.api<WorkspaceAgent>('POST', '/api/v1/agents', { name: name.trim(), email: email.trim(), role });
      this.agents = [...this.agents, agent];
      this.#setTeams(this.teams);
      this.#newAgent = this.#agentForm();
      return this.t('agentAdded', { name: agent.name });
    });
  }

  async #changeAgent(agent: WorkspaceAgent, patch: { role?: AgentRole; active?: boolean }): Promise<void> {
    const ok = await this.act(async () => {
      const changed = await this.api<WorkspaceAgent>('PATCH', `/api/v1/agents/${encodeURIComponent(agent.id)}`, patch);
      this.agents = this.agents.map((a) => (a.id === changed.id ? changed : a));
      if (patch.role) return this.t('roleChanged', { name: changed.name, role: this.#roleName(changed.role) });
      return this.t(changed.active ? 'agentReactivated' : 'agentDeactivated', { name: changed.name });
    });
    // A refused role change puts the picker back.
    if (!ok) this.agents = [...this.agents];
  }

  /** Saves the skills typed for an agent (comma-separated), when they changed. */
  async #saveSkills(agent: WorkspaceAgent, input: HTMLInputElement): Promise<void> {
    const skills = [...new Set(input.value.split(',').map((skill) => skill.trim().toLowerCase()).filter(Boolean))];
    if (skills.join(',') === (agent.skills ?? []).join(',')) return;
    await this.act(async () => {
      if (!skills.every(isSkillOrEmpty)) throw new Error(this.t('skillInvalid'));
      const changed = await this.api<WorkspaceAgent>('PATCH', `/api/v1/agents/${encodeURIComponent(agent.id)}`, { skills });
      this.agents = this.agents.map((a) => (a.id === changed.id ? changed : a));
      input.value = changed.skills.join(', ');
      return this.t('skillsSaved', { name: changed.name });
    });
  }

  async #createTeam(event: Event): Promise<void> {
    event.preventDefault();
    const form = this.#newTeam;
    if (!form.dirty || !form.valid) return;
    await this.act(async () => {
      const team = await this.api<Team>('POST', '/api/v1/teams', { name: form.draft.name.trim(), agentIds: [] });
      this.#setTeams([...this.teams, team]);
      form.reset({ name: '' });
      return this.t('teamCreated', { name: team.name });
    });
  }

  async #saveTeam(event: Event, team: Team): Promise<void> {
    event.preventDefault();
    const form = this.#teamForms.get(team.id);
    if (!form || !form.dirty || !form.valid) return;
    const patch: { name?: string; agentIds?: string[] } = {};
    const changed = form.changedKeys();
    if (changed.includes('name')) patch.name = String(form.draft.name).trim();
    if (changed.some((key) => key.startsWith('member:'))) {
      patch.agentIds = this.agents.filter((agent) => form.draft[`member:${agent.id}`] === true).map((agent) => agent.id);
    }
    await this.act(async () => {
      const saved = await this.api<Team>('PATCH', `/api/v1/teams/${encodeURIComponent(team.id)}`, patch);
      this.teams = this.teams.map((t) => (t.id === saved.id ? saved : t));
      form.reset();
    });
  }

  async #saveVisibility(event: Event): Promise<void> {
    event.preventDefault();
    const form = this.#visibility;
    if (!form.dirty) return;
    await this.act(async () => {
      const saved = await this.api<WorkspaceSettings>('PATCH', '/api/v1/workspace', { agentVisibility: form.draft.agentVisibility });
      form.reset({ agentVisibility: saved.agentVisibility });
    });
  }

  async #deleteTeam(team: Team): Promise<void> {
    await this.act(async () => {
      await this.api('DELETE', `/api/v1/teams/${encodeURIComponent(team.id)}`);
      this.#setTeams(this.teams.filter((t) => t.id !== team.id));
      return this.t('teamDeleted', { name: team.name });
    });
  }

  /** What waits for the admin's confirmation (`agent:ID` to deactivate, `team:ID` to delete). */
  @state() private confirming: string | null = null;

  #ask(what: string): void {
    this.confirming = what;
    // Focus moves to the confirmation, which replaced the button.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.confirm button.danger')?.focus());
  }

  #confirm(question: string, action: () => Promise<void>) {
    const done = () => {
      this.confirming = null;
    };
    return html`<span class="confirm" role="group" aria-label=${question}>
      <span class="sub">${question}</span>
      <button type="button" class="danger" ?disabled=${this.busy} @click=${() => void action().then(done)}>${this.t('confirm')}</button>
      <button type="button" @click=${done} @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && done()}>${this.t('cancel')}</button>
    </span>`;
  }

  #status(agent: WorkspaceAgent, client: CharlaClient) {
    if (!agent.active) return html`<span class="badge" data-tone="bad">${this.t('deactivated')}</span>`;
    const presence = client.presenceOf(agent.id);
    return html`<span class="badge" data-tone=${presence === 'online' ? 'good' : nothing}>${this.t(presence)}</span>`;
  }

  protected renderBody(client: CharlaClient) {
    const me = client.me?.id;
    const roleOptions = ROLES.map((role) => [role, this.#roleName(role)] as const);
    return html`
      <h3 id="${this.uid}-agents">${this.t('agents')}</h3>
      ${this.agents.length === 0
        ? html`<p class="empty">${this.t('noAgents')}</p>`
        : html`<table aria-labelledby="${this.uid}-agents">
            <thead><tr><th>${this.t('name')}</th><th>${this.t('role')}</th><th>${this.t('agentSkills')}</th><th>${this.t('status')}</th><th><span class="visually-hidden">${this.t('deactivate')}</span></th></tr></thead>
            <tbody>
              ${repeat(this.agents, (agent) => agent.id, (agent) => html`<tr data-agent=${agent.id}>
                <td>${agent.name} ${agent.id === me ? this.t('you') : nothing}<span class="sub">${agent.email}</span></td>
                <td data-label=${this.t('role')}>
                  <select
                    aria-label=${this.t('roleOf', { name: agent.name })}
                    ?disabled=${this.busy || agent.id === me || !agent.active}
                    @change=${(event: Event) => void this.#changeAgent(agent, { role: (event.target as HTMLSelectElement).value as AgentRole })}
                  >
                    ${roleOptions.map(([role, label]) => html`<option value=${role} ?selected=${role === agent.role}>${label}</option>`)}
                  </select>
                </td>
                <td data-label=${this.t('agentSkills')}>
                  <input
                    class="control skills"
                    maxlength="600"
                    aria-label=${this.t('skillsOf', { name: agent.name })}
                    placeholder=${this.t('skillsPlaceholder')}
                    title=${this.t('agentSkillsHint')}
                    .value=${(agent.skills ?? []).join(', ')}
                    ?disabled=${this.busy || !agent.active}
                    @change=${(event: Event) => void this.#saveSkills(agent, event.target as HTMLInputElement)}
                    @keydown=${(event: KeyboardEvent) => event.key === 'Enter' && (event.target as HTMLInputElement).blur()}
                  />
                </td>
                <td data-label=${this.t('status')}>${this.#status(agent, client)}</td>
                <td>
                  ${agent.id === me
                    ? nothing
                    : this.confirming === `agent:${agent.id}`
                      ? this.#confirm(this.t('confirmDeactivate', { name: agent.name }), () => this.#changeAgent(agent, { active: false }))
                      : html`<button
                          type="button"
                          class=${agent.active ? 'danger' : ''}
                          ?disabled=${this.busy}
                          aria-label=${this.t(agent.active ? 'deactivateNamed' : 'reactivateNamed', { name: agent.name })}
                          @click=${() => (agent.active ? this.#ask(`agent:${agent.id}`) : void this.#changeAgent(agent, { active: true }))}
                        >${this.t(agent.active ? 'deactivate' : 'reactivate')}</button>`}
                </td>
              </tr>`)}
            </tbody>
          </table>`}
      <form class="add-agent" @submit=${(event: Event) => void this.#addAgent(event)} aria-labelledby="${this.uid}-add-agent">
        <h3 id="${this.uid}-add-agent">${this.t('addAgent')}</h3>
        <div class="fields">
          ${this.renderField(this.#newAgent as unknown as FormModel<Draft>, { key: 'name', label: this.t('name'), autocomplete: 'off' })}
          ${this.renderField(this.#newAgent as unknown as FormModel<Draft>, { key: 'email', label: this.t('email'), type: 'email', autocomplete: 'off' })}
          ${this.renderField(this.#newAgent as unknown as FormModel<Draft>, { key: 'role', label: this.t('role'), type: 'select', options: roleOptions })}
        </div>
        ${this.renderActions(this.#newAgent as unknown as FormModel<Draft>, 'add')}
      </form>

      <h3 id="${this.uid}-teams">${this.t('teams')}</h3>
      ${this.teams.length === 0 ? html`<p class="empty">${this.t('noTeams')}</p>` : nothing}
      ${repeat(this.teams, (team) => team.id, (team) => {
        const form = this.#teamForms.get(team.id)!;
        return html`<form class="team" data-team=${team.id} @submit=${(event: Event) => void this.#saveTeam(event, team)} aria-label=${team.name}>
          ${this.renderField(form, { key: 'name', label: this.t('teamName') })}
          <fieldset>
            <legend>${this.t('membersOf', { name: team.name })}</legend>
            <div class="options">
              ${this.agents.filter((agent) => agent.active || team.agentIds.includes(agent.id)).map((agent) => this.renderField(form, { key: `member:${agent.id}`, label: agent.name, type: 'checkbox' }))}
            </div>
          </fieldset>
          <div class="actions">
            <button class="primary" type="submit" ?disabled=${this.busy || !form.dirty || !form.valid}>${this.t('save')}</button>
            ${this.confirming === `team:${team.id}`
              ? this.#confirm(this.t('confirmDeleteTeam', { name: team.name }), () => this.#deleteTeam(team))
              : html`<button type="button" class="danger" ?disabled=${this.busy} aria-label=${this.t('deleteNamed', { name: team.name })}
                  @click=${() => this.#ask(`team:${team.id}`)}>${this.t('delete')}</button>`}
          </div>
        </form>`;
      })}
      <form class="new-team" @submit=${(event: Event) => void this.#createTeam(event)} aria-labelledby="${this.uid}-new-team">
        <h3 id="${this.uid}-new-team">${this.t('newTeam')}</h3>
        ${this.renderField(this.#newTeam as unknown as FormModel<Draft>, { key: 'name', label: this.t('teamName') })}
        ${this.renderActions(this.#newTeam as unknown as FormModel<Draft>, 'create')}
      </form>
      <form class="visibility" @submit=${(event: Event) => void this.#saveVisibility(event)} aria-labelledby="${this.uid}-visibility">
        <h3 id="${this.uid}-visibility">${this.t('visibility')}</h3>
        ${this.renderField(this.#visibility as unknown as FormModel<Draft>, {
          key: 'agentVisibility', label: this.t('visibilityLabel'), type: 'select', hint: this.t('visibilityHint'),
          options: [['all', this.t('visibilityAll')], ['teams', this.t('visibilityTeams')]],
        })}
        ${this.renderActions(this.#visibility as unknown as FormModel<Draft>)}
      </form>
    `;
  }
}
