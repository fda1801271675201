// Small fetch wrapper for tests that talk to a sandbox over real HTTP.

// Tests index freely into response bodies; precise types here would only add casts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Json = any;

export interface ApiResult<T = Json> {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  json: T;
}

export interface ApiClient {
  get<T = Json>(path: string): Promise<ApiResult<T>>;
  post<T = Json>(path: string, body?: unknown): Promise<ApiResult<T>>;
  put<T = Json>(path: string, body?: unknown): Promise<ApiResult<T>>;
  del<T = Json>(path: string): Promise<ApiResult<T>>;
}

/** `token` undefined sends no Authorization header. Paths are appended to `baseUrl` as-is. */
export function apiClient(baseUrl: string, token: string | undefined): ApiClient {
  async function call(method: string, path: string, body?: unknown): Promise<ApiResult> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', headers: res.headers, text, json };
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    del: (path) => call('DELETE', path),
  };
}
