import {
  ClusteringKey,
  Column,
  compileEntity,
  entityRegistry,
  PartitionKey,
  snakeCase,
  Table,
} from '../../../src/entities';
import type { CqlType } from '../../../src/entities';
import { EntityDefinitionError, InvalidIdentifierError } from '../../../src/errors';

/** Decorators run at class definition; each misuse case defines its class inside the callback. */
function definitionError(define: () => unknown): EntityDefinitionError {
  try {
    define();
  } catch (error) {
    expect(error).toBeInstanceOf(EntityDefinitionError);
    return error as EntityDefinitionError;
  }
  throw new Error('expected an EntityDefinitionError');
}

describe('snakeCase (default column names)', () => {
  it.each([
    ['sessionId', 'session_id'],
    ['id', 'id'],
    ['lastActivityAt', 'last_activity_at'],
    ['bucketSpanMs', 'bucket_span_ms'],
    ['userID', 'user_id'],
    ['httpURLPath', 'http_url_path'],
    ['version2Name', 'version2_name'],
    ['already_snake', 'already_snake'],
  ])('%s → %s', (property, column) => {
    expect(snakeCase(property)).toBe(column);
  });
});

describe('the registry', () => {
  it('records what each decorator says, keyed by class, in declaration order', () => {
    @Table('recorded')
    class Recorded {
      @PartitionKey('text', { name: 'pk', position: 0 })
      a!: string;

      @ClusteringKey('timeuuid', { order: 'DESC' })
      b!: string;

      @Column('json', { static: true })
      c?: object;
    }
    expect(entityRegistry.ownTable(Recorded)).toEqual({ target: Recorded, name: 'recorded' });
    const recorded = entityRegistry.ownProperties(Recorded);
    expect(recorded.map((p) => [p.propertyName, p.decorator, p.cqlType])).toEqual([
      ['a', '@PartitionKey', 'text'],
      ['b', '@ClusteringKey', 'timeuuid'],
      ['c', '@Column', 'json'],
    ]);
    expect(recorded[0]).toMatchObject({ columnName: 'pk', position: 0, isStatic: false });
    expect(recorded[1]).toMatchObject({ order: 'DESC' });
    expect(recorded[2]).toMatchObject({ isStatic: true });
  });

  it('knows nothing about undecorated classes', () => {
    class Plain {}
    expect(entityRegistry.knows(Plain)).toBe(false);
    expect(entityRegistry.ownProperties(Plain)).toEqual([]);
  });
});

describe('compileEntity', () => {
  @Table('events')
  class Event {
    @PartitionKey('text', { position: 1 })
    tenantId!: string;

    @PartitionKey('bigint', { position: 0, name: 'day_bucket' })
    day!: number;

    @ClusteringKey('timestamp', { order: 'DESC' })
    at!: Date;

    @ClusteringKey('uuid')
    eventId!: string;

    @Column('json', { whenNull: () => ({}) })
    payload: object = {};

    @Column('int', { static: true })
    version?: number;
  }

  const metadata = compileEntity(Event);

  it('orders partition keys by position and keeps declaration order for clustering keys', () => {
    expect(metadata.partitionKeys.map((c) => [c.columnName, c.position])).toEqual([
      ['day_bucket', 0],
      ['tenant_id', 1],
    ]);
    expect(metadata.clusteringKeys.map((c) => [c.columnName, c.order, c.position])).toEqual([
      ['at', 'DESC', 0],
      ['event_id', 'ASC', 1],
    ]);
    expect(metadata.primaryKey.map((c) => c.propertyName)).toEqual(['day', 'tenantId', 'at', 'eventId']);
  });

  it('lists every column with its kind, and maps properties and columns both ways', () => {
    expect(metadata.columns.map((c) => [c.propertyName, c.columnName, c.cqlType, c.kind])).toEqual([
      ['day', 'day_bucket', 'bigint', 'partitionKey'],
      ['tenantId', 'tenant_id', 'text', 'partitionKey'],
      ['at', 'at', 'timestamp', 'clusteringKey'],
      ['eventId', 'event_id', 'uuid', 'clusteringKey'],
      ['payload', 'payload', 'json', 'regular'],
      ['version', 'version', 'int', 'static'],
    ]);
    expect(metadata.byProperty.get('tenantId')?.columnName).toBe('tenant_id');
    expect(metadata.byColumn.get('day_bucket')?.propertyName).toBe('day');
    expect(metadata.table).toBe('events');
    expect(metadata.modelName).toBe('Event');
  });

  it('is cached per class', () => {
    expect(compileEntity(Event)).toBe(metadata);
  });

  it('inherits the mapping of a base entity; a subclass may redeclare a column', () => {
    class SpecialEvent extends Event {
      @Column('text', { name: 'payload' })
      override payload: object = {};

      @Column('boolean')
      flagged?: boolean;
    }
    const special = compileEntity(SpecialEvent);
    expect(special.table).toBe('events');
    expect(special.modelName).toBe('SpecialEvent');
    expect(special.byProperty.get('payload')?.cqlType).toBe('text');
    expect(special.byProperty.get('flagged')?.columnName).toBe('flagged');
    expect(special.partitionKeys.map((c) => c.propertyName)).toEqual(['day', 'tenantId']);
  });
});

describe('misuse is refused with EntityDefinitionError saying how to fix it', () => {
  it('two key/column decorators on one property', () => {
    const error = definitionError(() => {
      class Twice {
        @PartitionKey('text')
        @Column('text')
        a!: string;
      }
      return Twice;
    });
    expect(error.message).toMatch(/Twice\.a has both @Column and @PartitionKey/);
    expect(error.message).toMatch(/keep one of them/);
  });

  it('two @Table decorators', () => {
    const error = definitionError(() => {
      @Table('one')
      @Table('two')
      class TwoTables {
        @PartitionKey('text')
        a!: string;
      }
      return TwoTables;
    });
    expect(error.message).toMatch(/two @Table decorators.*keep one/);
  });

  it.each(['1table', 'my-table', 'drop table x;', '', 'a'.repeat(49), 'tbl"'])('a bad table name %j', (name) => {
    const error = definitionError(() => {
      @Table(name)
      class BadTable {}
      return BadTable;
    });
    expect(error.message).toContain('^[a-zA-Z][a-zA-Z0-9_]{0,47}$');
    expect(error.message).toContain('@Table on BadTable');
  });

  it.each(['1col', 'col-name', 'x; DROP KEYSPACE y', '"quoted"', 'é'])('a bad column name %j', (name) => {
    const error = definitionError(() => {
      class BadColumn {
        @Column('text', { name })
        a!: string;
      }
      return BadColumn;
    });
    expect(error.message).toMatch(/@Column on BadColumn\.a: Invalid column name/);
  });

  it('a property whose default column name is not an identifier', () => {
    const error = definitionError(() => {
      class Underscored {
        @Column('text')
        _secret!: string;
      }
      return Underscored;
    });
    expect(error.message).toMatch(/default column name "_secret" is not a valid CQL identifier; give one explicitly/);
  });

  it('an unknown CQL type', () => {
    const error = definitionError(() => {
      class Typo {
        @Column('strng' as CqlType)
        a!: string;
      }
      return Typo;
    });
    expect(error.message).toMatch(/unknown CQL type "strng"; use one of text, /);
  });

  it('a json key column', () => {
    const error = definitionError(() => {
      class JsonKey {
        @PartitionKey('json')
        a!: object;
      }
      return JsonKey;
    });
    expect(error.message).toMatch(/'json' column cannot be part of the primary key/);
  });

  it.each([-1, 1.5, Number.NaN])('a bad key position %p', (position) => {
    const error = definitionError(() => {
      class BadPosition {
        @PartitionKey('text', { position })
        a!: string;
      }
      return BadPosition;
    });
    expect(error.message).toMatch(/position must be an integer ≥ 0/);
  });

  it('a bad clustering order', () => {
    const error = definitionError(() => {
      class BadOrder {
        @ClusteringKey('text', { order: 'desc' as 'DESC' })
        a!: string;
      }
      return BadOrder;
    });
    expect(error.message).toMatch(/order must be 'ASC' or 'DESC', got "desc"/);
  });

  it('an unknown option (e.g. a typo)', () => {
    const error = definitionError(() => {
      class BadOption {
        @Column('text', { nmae: 'x' } as unknown as { name: string })
        a!: string;
      }
      return BadOption;
    });
    expect(error.message).toMatch(/unknown option "nmae"; @Column accepts name, static, whenNull/);
  });

  it('a decorator on a static member', () => {
    const error = definitionError(() => {
      class StaticMember {
        @Column('text')
        static a: string;
      }
      return StaticMember;
    });
    expect(error.message).toMatch(/static member StaticMember\.a: decorate an instance property/);
  });

  it('a decorator on a symbol-keyed property', () => {
    const key = Symbol('secret');
    const error = definitionError(() => {
      class SymbolKeyed {
        @Column('text')
        [key]!: string;
      }
      return SymbolKeyed;
    });
    expect(error.message).toMatch(/SymbolKeyed\[Symbol\(secret\)\]: symbol-keyed properties cannot map to columns/);
  });

  it('an entity without @Table (at compile time)', () => {
    class NoTable {
      @PartitionKey('text')
      a!: string;
    }
    const error = definitionError(() => compileEntity(NoTable));
    expect(error.message).toBe("NoTable is not an entity: decorate the class with @Table('table_name')");
  });

  it('an undecorated class (at compile time)', () => {
    class Plain {}
    const error = definitionError(() => compileEntity(Plain));
    expect(error.message).toMatch(/Plain is not an entity: .* and its properties with @PartitionKey/);
  });

  it('an entity without a partition key (at compile time)', () => {
    @Table('no_key')
    class NoKey {
      @Column('text')
      a!: string;
    }
    const error = definitionError(() => compileEntity(NoKey));
    expect(error.message).toMatch(
      /NoKey \(table no_key\) has no partition key: decorate at least one property with @PartitionKey/,
    );
  });

  it('two properties on one column name (at compile time)', () => {
    @Table('dupes')
    class Dupes {
      @PartitionKey('text')
      sessionId!: string;

      @Column('text', { name: 'session_id' })
      other!: string;
    }
    const error = definitionError(() => compileEntity(Dupes));
    expect(error.message).toMatch(
      /Dupes\.sessionId and Dupes\.other both map to column session_id of dupes: give one of them another/,
    );
  });

  it('positions on some keys only, or with gaps (at compile time)', () => {
    @Table('partial_positions')
    class PartialPositions {
      @PartitionKey('text', { position: 0 })
      a!: string;

      @PartitionKey('text')
      b!: string;
    }
    expect(definitionError(() => compileEntity(PartialPositions)).message).toMatch(
      /some @PartitionKey properties have a position and b not/,
    );

    @Table('gap_positions')
    class GapPositions {
      @ClusteringKey('text', { position: 0 })
      a!: string;

      @ClusteringKey('text', { position: 2 })
      b!: string;

      @PartitionKey('text')
      c!: string;
    }
    expect(definitionError(() => compileEntity(GapPositions)).message).toMatch(
      /@ClusteringKey positions must be 0, 1, 2, \.\.\. without gaps or repeats; got a=0, b=2/,
    );
  });

  it('a static column in a table without clustering key (at compile time)', () => {
    @Table('static_without_clustering')
    class StaticWithoutClustering {
      @PartitionKey('text')
      a!: string;

      @Column('text', { static: true })
      b?: string;
    }
    expect(definitionError(() => compileEntity(StaticWithoutClustering)).message).toMatch(
      /StaticWithoutClustering\.b is static but table static_without_clustering has no clustering key/,
    );
  });

  it('states the identifier rule as InvalidIdentifierError does', () => {
    const error = definitionError(() => {
      @Table('bad name')
      class WithCause {}
      return WithCause;
    });
    expect(error.message).toContain(new InvalidIdentifierError('table', 'bad name').message);
  });
});
