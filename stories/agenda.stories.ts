import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import '@charla/elements';
import type { Task } from '@charla/protocol';
import { BOARD_NOW, agendaContacts, agendaTasks } from '../tests/fixtures/deals.js';

interface Args {
  tasks: Task[];
}

const meta: Meta<Args> = {
  title: 'Agent/Agenda',
  component: 'charla-agenda',
  args: { tasks: agendaTasks() },
  render: (args) => html`<div style="max-width: 380px">
    <charla-agenda .tasks=${args.tasks} .contacts=${agendaContacts} .now=${BOARD_NOW}></charla-agenda>
  </div>`,
};
export default meta;

type Story = StoryObj<Args>;

export const MyAgenda: Story = {};
export const NothingDue: Story = { args: { tasks: [] } };
export const Dark: Story = { globals: { theme: 'dark' } };
export const Spanish: Story = { globals: { locale: 'es' } };
export const English: Story = { globals: { locale: 'en' } };
export const Portuguese: Story = { globals: { locale: 'pt' } };
