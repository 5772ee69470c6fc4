import http from 'node:http';

/**
 * A lean keep-alive HTTP client for load generation (node:http: less CPU per request than fetch,
 * which matters when the load generator shares the machine with the server and PostgreSQL).
 * Signs requests like the web app: session cookie, and the CSRF header on unsafe methods.
 */

export type Reply = { status: number; body: string; ms: number };

export class HttpClient {
  readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, maxSockets: number) {
    const url = new URL(baseUrl);
    if (url.hostname !== '127.0.0.1') throw new Error(`The benchmark only drives 127.0.0.1, not ${url.hostname}`);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(method: string, path: string, options: { body?: unknown; session?: Session; headers?: Record<string, string> } = {}): Promise<Reply> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string | number> = { accept: 'application/json', 'accept-language': 'es', ...options.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    if (options.session) {
      headers.cookie = `amparo_session=${options.session.token}`;
      if (method !== 'GET' && options.session.csrf) headers['x-csrf-token'] = options.session.csrf;
    }
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'];
          if (setCookie && options.session) {
            const m = /amparo_session=([^;]*)/.exec(setCookie.join(';'));
            if (m) options.session.token = m[1]!;
          }
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - started) / 1e6 });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export type Session = { token: string; csrf: string; userId: string; institutionId: string; role: string; email: string };

/** Signs in through the API (POST /auth/login, then GET /auth/session for the CSRF token). */
export async function signInOverHttp(client: HttpClient, email: string, password: string): Promise<Session> {
  const session: Session = { token: '', csrf: '', userId: '', institutionId: '', role: '', email };
  const login = await client.request('POST', '/api/v1/auth/login', { body: { email, password }, session });
  if (login.status !== 200 || !session.token) throw new Error(`sign-in of ${email} failed: ${login.status} ${login.body}`);
  return completeSession(client, session);
}

/** Fills in the CSRF token, user, institution and role of a session from GET /auth/session. */
export async function completeSession(client: HttpClient, session: Session): Promise<Session> {
  const reply = await client.request('GET', '/api/v1/auth/session', { session });
  if (reply.status !== 200) throw new Error(`GET /auth/session for ${session.email} failed: ${reply.status} ${reply.body}`);
  const body = JSON.parse(reply.body) as { csrf_token: string; user: { id: string }; institution: { id: string }; role: string };
  return Object.assign(session, { csrf: body.csrf_token, userId: body.user.id, institutionId: body.institution.id, role: body.role });
}
