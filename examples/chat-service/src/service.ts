import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type ChatHistoryStore,
  type ChatRole,
  MessageValidationError,
  newMessageId,
  RequestTimeoutError,
} from 'cassandra-chat-history';

/**
 * A minimal chat service on node:http, the way an application would use the package:
 * - POST /sessions/:id/messages  { role, content }  → 201 the stored message
 * - GET  /sessions/:id/messages?limit=N            → 200 the newest N, oldest first
 * Invalid input is a 400; a write that timed out is retried once with the same id (never stored twice).
 */
export function createChatService(store: ChatHistoryStore): Server {
  return createServer((req, res) => {
    handle(store, req, res).catch((error: unknown) => {
      const status = error instanceof MessageValidationError ? 400 : 503;
      send(res, status, { error: error instanceof Error ? error.name : 'Error' });
    });
  });
}

async function handle(store: ChatHistoryStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = /^\/sessions\/([^/]+)\/messages$/.exec(url.pathname);
  if (!match) return send(res, 404, { error: 'NotFound' });
  const history = store.history(decodeURIComponent(match[1]));
  if (req.method === 'GET') {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    return send(res, 200, await history.getMessages({ limit }));
  }
  if (req.method !== 'POST') return send(res, 405, { error: 'MethodNotAllowed' });
  const body = JSON.parse(await readBody(req)) as { role: ChatRole; content: string };
  // An id chosen up front makes the retry idempotent: a timed-out write may have landed.
  const message = { id: newMessageId(), role: body.role, content: body.content };
  try {
    return send(res, 201, await history.addMessage(message));
  } catch (error) {
    if (!(error instanceof RequestTimeoutError)) throw error;
    return send(res, 201, await history.addMessage(message));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
