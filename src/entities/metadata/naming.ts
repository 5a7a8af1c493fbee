/**
 * The default column name of a property: camelCase → snake_case (`sessionId` → `session_id`,
 * `bucketSpanMs` → `bucket_span_ms`, `userID` → `user_id`, `httpURLPath` → `http_url_path`).
 */
export function snakeCase(propertyName: string): string {
  return propertyName
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
