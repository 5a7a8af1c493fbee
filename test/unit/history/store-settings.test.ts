import { DEFAULT_VALIDATION_LIMITS } from '../../../src/entities';
import { ConfigurationError } from '../../../src/errors';
import { storeSettingsFrom } from '../../../src/history/store-settings';
import { createTestStore } from '../../../src/testing';

describe('store settings', () => {
  it('resolve the validation limits once, defaults filled in', () => {
    expect(storeSettingsFrom({}).validationLimits).toEqual(DEFAULT_VALIDATION_LIMITS);
    expect(storeSettingsFrom({ validationLimits: { maxContentBytes: 10 } }).validationLimits).toEqual({
      ...DEFAULT_VALIDATION_LIMITS,
      maxContentBytes: 10,
    });
  });

  it('refuse a bad limit when the store is built, not at its first write', () => {
    expect(() => createTestStore({ validationLimits: { maxContentBytes: -1 } })).toThrow(ConfigurationError);
    expect(() =>
      createTestStore({ validationLimits: { maxContentByte: 10 } as unknown as { maxContentBytes: number } }),
    ).toThrow(/Unknown validation limit "maxContentByte"/);
  });

  it('and a store with a small limit refuses a larger message, naming the field', async () => {
    const { store } = createTestStore({ validationLimits: { maxContentBytes: 4 } });
    await expect(store.history('s-1').addMessage({ role: 'user', content: 'hello' })).rejects.toMatchObject({
      issues: [{ property: 'content', constraints: { maxUtf8Bytes: expect.stringContaining('at most 4') as string } }],
    });
  });
});
