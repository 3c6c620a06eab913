/** The thread's quote editor and re-engagement drafts, loaded the first time a conversation needs them. */
export { QuoteDraftController, quoteDraftStyles } from './quote-draft.js';
export { FollowUpController, followUpStyles } from './follow-up-draft.js';
