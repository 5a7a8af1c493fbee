// Validation of untrusted input into entities: a hand-written fast path for messages, class-validator
// (the reference, and the explanation of every refusal) and the issues they report.
export { validateMessage, validateMessageList, validateMessages, validateSession } from './validation';
export { checkMessageWithClassValidator, checkSessionWithClassValidator, type Outcome } from './class-validator-check';
export { fastValidateMessage, fastValidateMessageOf } from './fast-message-check';
