// What lets the LangChain adapters be built from `@langchain/community`'s connection options: the
// option names, one shared client per configuration, and schema set-up done once on first use.
export {
  type AstraServiceProviderArgs,
  type CassandraServiceProviderArgs,
  type CommunityClientArgs,
  toDriverOptions,
} from './community-client-options';
export {
  acquireClient,
  type ClientLease,
  closeSharedClients,
  configurationKey,
  sharedClientCount,
} from './shared-clients';
export { oncePerClient, perClient } from './first-use';
