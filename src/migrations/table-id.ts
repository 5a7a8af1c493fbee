import { createHash } from 'node:crypto';

/** Fixed namespace of the runner's table ids (a random v4 uuid, chosen once; never change it). */
const NAMESPACE = Buffer.from('6f1d3c3e8a0b4f5e9c2d7b1a0e4f8c6d', 'hex');

/**
 * The id of one of the runner's own tables (`CREATE TABLE ... WITH ID = ...`): a name-based (v5,
 * SHA-1) uuid of `keyspace.table`. Runners started at the same moment against different
 * coordinators may each create the table before seeing the others' CREATE; with a random id per
 * CREATE the nodes end up with two tables of one name ("Column family ID mismatch"), with the same
 * id the creations merge into one table. Consequence: dropping and re-creating the keyspace re-uses
 * the ids, as restoring a snapshot does.
 */
export function runnerTableId(keyspace: string, table: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${keyspace}.${table}`, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
