// What a failed model download says (issue 24): the host it tried, and for the hub's 401/403 (a repository that does
// not exist, or a gated one) "not found or gated" with what to do, rather than a bare MODEL_FETCH_FAILED.
import { describe, expect, it } from 'vitest';
import { hostOf, httpFailure, requestFailedMessage } from '../../src/core/fetch-errors.ts';

const URL_ = 'https://huggingface.co/org/model/resolve/main/config.json';

describe('fetch errors', () => {
  it('a request with no answer names the host, so an offline visitor sees which server was out of reach', () => {
    // The demo's old message was "config.json: request failed (Failed to fetch)", with no host.
    const m = requestFailedMessage('config.json', URL_, 'Failed to fetch');
    expect(m).toMatch(/^config\.json: request to huggingface\.co failed \(Failed to fetch\)/);
    expect(m).toContain(URL_);
  });

  it('401 and 403 are MODEL_NOT_FOUND, "not found or gated", with a hint', () => {
    // The hub answers 401 for a missing repository as well as for a gated one: both read as not found, with a way on.
    for (const status of [401, 403]) {
      const f = httpFailure('tokenizer.json', URL_, status);
      expect(f.code).toBe('MODEL_NOT_FOUND');
      expect(f.message).toMatch(new RegExp(`HTTP ${status} from huggingface\\.co`));
      expect(f.message).toMatch(/not found or is gated/);
      expect(f.message).toMatch(/Check the model id/);
    }
  });

  it('404 stays MODEL_NOT_FOUND; other statuses are MODEL_FETCH_FAILED naming the host', () => {
    // Guards the codes apps branch on: only the not-found family changes.
    expect(httpFailure('a.json', URL_, 404)).toEqual({ code: 'MODEL_NOT_FOUND', message: `a.json: 404 Not Found at ${URL_}` });
    expect(httpFailure('a.json', 'http://127.0.0.1:4187/x/a.json', 500)).toMatchObject({ code: 'MODEL_FETCH_FAILED', message: expect.stringContaining('from 127.0.0.1:4187') });
  });

  it('hostOf keeps the port and survives a string that is not a URL', () => {
    // Folder URLs of local servers differ only by port; a relative string must not throw inside an error path.
    expect(hostOf('http://localhost:8080/models/x')).toBe('localhost:8080');
    expect(hostOf('not a url')).toBe('not a url');
  });
});
