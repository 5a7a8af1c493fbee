import type { ExecutionProfile, mapping } from 'cassandra-driver';
import { type ChatMapper, mapperOptions } from './chat-mapper';
import type { DriverErrorContext } from '../driver';

/** What every Mapper of the package carries into its calls: its keyspace and execution profile. */
export interface MapperScope {
  readonly keyspace: string;
  /** Carries the consistency levels into every Mapper call (see execution-profile.ts). */
  readonly profile: ExecutionProfile;
}

/** What the package's repositories share: their Mapper, their table, and how they name a failure. */
export abstract class MapperRepository<M extends MapperScope = ChatMapper> {
  /** The store's profile as the Mapper's options take it (see mapperOptions). */
  protected readonly profileOption: string;

  constructor(
    protected readonly models: M,
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
