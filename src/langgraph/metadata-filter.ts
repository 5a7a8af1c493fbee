/**
 * Whether checkpoint metadata matches a `list({ filter })`: every filter key is present and its value
 * contained, as Postgres's `metadata @> filter` does (objects by their keys, arrays by their elements,
 * everything else by equality). Cassandra cannot look into the serialised metadata, so list filters
 * the rows it reads.
 */
export function metadataMatches(metadata: unknown, filter: Readonly<Record<string, unknown>> | undefined): boolean {
  if (filter === undefined) return true;
  return contains(metadata, filter);
}

function contains(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    return Array.isArray(value) && pattern.every((wanted) => value.some((element) => contains(element, wanted)));
  }
  if (isObject(pattern)) {
    if (!isObject(value) || Array.isArray(value)) return false;
    return Object.entries(pattern).every(
      ([key, wanted]) => Object.prototype.hasOwnProperty.call(value, key) && contains(value[key], wanted),
    );
  }
  return Object.is(value, pattern) || value === pattern;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
