// What a failed model download says: the host it tried (so an offline visitor sees which server was out of reach),
// and for the hub's 401 (a repository that does not exist or is gated) what to check. Pure, unit-tested; the
// worker's fetch code throws what these return.
import type { ErrorCode } from '../errors.ts';

/** 'huggingface.co' for a hub URL, the origin's host for any other; the whole string if it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** A request that never got an answer (offline, DNS, CORS, refused). */
export function requestFailedMessage(file: string, url: string, reason: string): string {
  return `${file}: request to ${hostOf(url)} failed (${reason}): the host could not be reached, or refused the request (offline, blocked, or no CORS); URL ${url}`;
}

/** An HTTP answer that is not a success: the code and the message for it. */
export function httpFailure(file: string, url: string, status: number): { code: ErrorCode; message: string } {
  if (status === 404) return { code: 'MODEL_NOT_FOUND', message: `${file}: 404 Not Found at ${url}` };
  if (status === 401 || status === 403) {
    // The Hugging Face hub answers 401 for a repository that does not exist as well as for a gated or private one.
    return {
      code: 'MODEL_NOT_FOUND',
      message: `${file}: HTTP ${status} from ${hostOf(url)} at ${url}: the model was not found or is gated (private, or its licence must be accepted first). ` +
        'Check the model id; for a gated model, copy its files to your own server and pass that folder URL as model (this library sends no token)',
    };
  }
  return { code: 'MODEL_FETCH_FAILED', message: `${file}: HTTP ${status} from ${hostOf(url)} at ${url}` };
}
