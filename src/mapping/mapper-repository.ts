import type { mapping } from 'cassandra-driver';
import { type ChatMapper, mapperOptions } from './chat-mapper';
import type { DriverErrorContext } from '../driver';

/** What the package's repositories share: their Mapper, their table, and how they name a failure. */
export abstract class MapperRepository {
  /** The store's profile as the Mapper's options take it (see mapperOptions). */
  protected readonly profileOption: string;

  constructor(
    protected readonly models: ChatMapper,
    private readonly table: string,
  ) {
    this.profileOption = mapperOptions(models).executionProfile as string;
  }

  /** Mapper execution options carrying the store's profile (consistency levels). */
  protected options(extra: mapping.MappingExecutionOptions = {}): mapping.MappingExecutionOptions {
    return mapperOptions(this.models, extra);
  }

  /** What a translated driver error says failed. */
  protected context(operation: string): DriverErrorContext {
    return { operation, keyspace: this.models.keyspace, table: this.table };
  }
}
