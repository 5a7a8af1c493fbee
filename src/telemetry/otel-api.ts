import type * as OtelApiModule from '@opentelemetry/api';

/** The parts of `@opentelemetry/api` this package uses (the module's own type). */
export type OtelApi = typeof OtelApiModule;

/** Finds `@opentelemetry/api`, or answers undefined when the application does not have it. */
export type OtelApiResolver = () => OtelApi | undefined;

/** The tracer every span of this package comes from, or undefined without `@opentelemetry/api`. */
export interface PackageTracing {
  readonly api: OtelApi;
  readonly tracer: OtelApiModule.Tracer;
}

const TRACER_NAME = 'cassandra-chat-history';

function requireOptional(): OtelApi | undefined {
  try {
    // An optional peer: a static import would make the package fail to load without it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@opentelemetry/api') as OtelApi;
  } catch {
    return undefined;
  }
}

function packageVersion(): string | undefined {
  try {
    // Two levels up from src/telemetry and from dist/telemetry alike; outside tsc's rootDir, so no import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version?: string }).version;
  } catch {
    return undefined;
  }
}

let resolver: OtelApiResolver = requireOptional;
interface ResolvedTracing extends PackageTracing {
  /** The API's no-op provider: what its global proxy delegates to until an SDK is registered. */
  readonly noopProvider: OtelApiModule.TracerProvider;
}

/** Resolved once, on the first traced operation: `null` records "looked, and it is absent". */
let resolved: ResolvedTracing | null | undefined;

/**
 * The package's tracer, while spans can go anywhere; undefined without `@opentelemetry/api` or while
 * no tracer provider is registered. The first call resolves `@opentelemetry/api` (one `require`);
 * every later call answers from that. The tracer is taken once: before the application registers an
 * SDK it is the API's proxy, which starts delegating as soon as one is registered.
 */
export function packageTracing(): PackageTracing | undefined {
  if (resolved === undefined) {
    const api = resolver();
    resolved =
      api === undefined
        ? null
        : {
            api,
            tracer: api.trace.getTracer(TRACER_NAME, packageVersion()),
            noopProvider: new api.ProxyTracerProvider().getDelegate(),
          };
  }
  return resolved === null || !hasTracerProvider(resolved) ? undefined : resolved;
}

/**
 * Whether an application registered a tracer provider. Until one does, every span is the API's
 * no-op and nothing reads the context it would set: the operation runs without span or context
 * (a span and a context per append, with no SDK to record them, cost about 0.5 µs of client CPU).
 * Checked on every call, as an SDK may be registered at any time.
 */
function hasTracerProvider({ api, noopProvider }: ResolvedTracing): boolean {
  const provider = api.trace.getTracerProvider() as Partial<OtelApiModule.ProxyTracerProvider>;
  // The global provider is the API's proxy (it delegates to the registered one); a provider that is
  // not a proxy (registered by some other copy of the API) is taken as registered.
  return typeof provider.getDelegate !== 'function' || provider.getDelegate() !== noopProvider;
}

/**
 * Replaces how `@opentelemetry/api` is found and forgets what was resolved. For tests: the repository
 * always has the API installed, so its absence can only be simulated. Internal, not exported.
 */
export function setOtelApiResolver(next: OtelApiResolver = requireOptional): void {
  resolver = next;
  resolved = undefined;
}
