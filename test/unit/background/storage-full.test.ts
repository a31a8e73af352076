import { describe, expect, it } from 'vitest';
import { isStorageFull } from '../../../src/background/storage-full.ts';

const domError = (name: string, message = '') => Object.assign(new Error(message), { name });

describe('isStorageFull', () => {
  it('knows a quota error, also as the cause of an aborted transaction', () => {
    expect(isStorageFull(domError('QuotaExceededError'))).toBe(true);
    expect(isStorageFull(new Error('aborted', { cause: domError('QuotaExceededError') }))).toBe(true);
  });

  it('knows the IO error Chromium reports when its database meets a full disk', () => {
    // As Chromium 156 said it, the disk under its profile filled to the last byte.
    const io = domError(
      'UnknownError',
      'Connection is closing because of: IO error: .../chrome-extension_x_0.indexeddb.leveldb/000003.log: ' +
        'FILE_ERROR_NO_SPACE (ChromeMethodBFE: 3::WritableFileAppend::8)',
    );
    expect(isStorageFull(io)).toBe(true);
  });

  it('does not take other failures for a full disk', () => {
    expect(isStorageFull(domError('AbortError', 'The transaction was aborted'))).toBe(false);
    expect(isStorageFull(domError('UnknownError', 'Internal error opening backing store'))).toBe(false);
    expect(isStorageFull(domError('ConstraintError', 'Key already exists'))).toBe(false);
    expect(isStorageFull(null)).toBe(false);
  });
});
