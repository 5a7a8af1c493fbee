import { useMigratedStore } from '../support/store';
import { runContract } from './chat-history.contract';

describe('contract: ChatHistoryStore on a real Cassandra node', () => {
  const db = useMigratedStore('contract');
  runContract((options) => db.store(options));
});
