import { defineStrings } from '../i18n/strings.js';

/** Strings of the shared deal and task dialogs, and of the buttons that open them. */
const en = {
  editDeal: 'Edit deal',
  editDealNamed: 'Edit deal “{title}”',
  noAmount: 'No amount',
  addAmount: 'Add an amount to “{title}”',
  title: 'Title',
  amount: 'Amount',
  currency: 'Currency',
  commonCurrencies: 'Common',
  otherCurrencies: 'Other currencies',
  expectedClose: 'Expected close',
  probability: 'Probability (%)',
  owner: 'Owner',
  unassigned: 'Unassigned',
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  titleRequired: 'Write a title.',
  titleTooLong: 'The title can have at most {max} characters.',
  amountInvalid: 'Write the amount as a number, such as 1500 or 1500.50.',
  amountNegative: 'The amount cannot be negative.',
  amountTooLarge: 'The amount is too large.',
  amountCents: 'The amount can have at most two decimals.',
  probabilityRange: 'The probability is a whole number from 0 to 100.',
  dateInvalid: 'Pick a valid date.',
  fixErrors: 'Check the highlighted fields.',
  saveFailed: 'Not saved: {reason}',
  newTask: 'New task',
  due: 'Due',
  dueDate: 'Due date',
  dueTime: 'Time',
  timeWithoutDate: 'Pick a date for this time.',
  linkedTo: 'Linked to',
  linkConversation: 'This conversation',
  linkContact: 'Contact: {name}',
  linkDeal: 'Deal: {title}',
  create: 'Create task',
  creating: 'Creating…',
  me: '{name} (me)',
} as const;

export type EditorString = keyof typeof en;

export const editorString = defineStrings<EditorString>('editors', en, {
  es: () => import('./editors.es.js'),
  pt: () => import('./editors.pt.js'),
});
