// One HTTP POST of a signed message, and nothing else: no redirects followed, every address the
// name resolves to checked (targets.ts), a limit on the whole exchange, the answer's body read and
// dropped (a receiver's reply is not kept, only its status).
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, refuseLiteralTarget } from './targets';

export type SendResult = { statusCode: number | null; error: string | null; durationMs: number };

const ERROR_TEXT_MAX = 500;

export async function sendSigned(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(target);
    refuseLiteralTarget(url, options.allowPrivate);
  } catch (error) {
    return {
      statusCode: null,
      error: (error as Error).message.slice(0, ERROR_TEXT_MAX),
      durationMs: elapsed(),
    };
  }
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        lookup: guardedLookup(options.allowPrivate),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ statusCode: response.statusCode ?? null, error: null, durationMs: elapsed() }),
        );
        response.on('error', (error) =>
          resolve({ statusCode: null, error: error.message.slice(0, ERROR_TEXT_MAX), durationMs: elapsed() }),
        );
      },
    );
    outgoing.on('error', (error) => {
      const message =
        error.name === 'AbortError' || error.name === 'TimeoutError'
          ? `no answer within ${options.timeoutMs} ms`
          : error.message;
      resolve({ statusCode: null, error: message.slice(0, ERROR_TEXT_MAX), durationMs: elapsed() });
    });
    outgoing.end(body);
  });
}
