// LangChain's chat history on LangChain Python's cassio table (`message_store`), with raw driver
// statements (no entities, no store), to share sessions with Python services.
export { CassioChatMessageHistory, type CassioChatMessageHistoryOptions } from './cassio-chat-message-history';
export { CASSIO_DEFAULT_TABLE, cassioTableCql, createCassioTable, type CassioTableOptions } from './cassio-table';
export { CassioTableMissingError } from './cassio-table-missing-error';
export { fromCassioBody, toCassioBody } from './cassio-body';
export { CassioTableLayoutError } from './cassio-table-layout-error';
