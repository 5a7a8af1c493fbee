// OpenTelemetry spans of the package's public operations, through `@opentelemetry/api` when the
// application has it (an optional peer: without it, a traced operation is the plain call). The
// facade (src/history) and the migration runner (src/migrations) enter through this file.
export { OperationSpans } from './operation-spans';
export {
  messageAttributes,
  messageCountAttributes,
  messagePageAttributes,
  messagesAttributes,
  migrationStatusAttributes,
  migrationsAttributes,
  sessionAttributes,
  sessionListAttributes,
} from './result-attributes';
export { MESSAGE_COUNT, type TracedOperation } from './span-attributes';
