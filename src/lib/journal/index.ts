/** The offline access journal on the device (DESIGN.md, "Offline access journal"). */
export { JournalError, type JournalErrorCode } from './JournalError';
export { checkedJournalSecret, setJournalSecret } from './journalKey';
export { appendJournalEntry } from './appendJournalEntry';
export { listPendingJournalEntries } from './listPendingJournalEntries';
export { acknowledgeJournal } from './acknowledgeJournal';
