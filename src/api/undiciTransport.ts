import type { Agent as UndiciAgent, ProxyAgent as UndiciProxyAgent } from 'undici';

/**
 * The part of undici the client uses: a pooled agent, a proxy agent and the `request` method of every dispatcher.
 * They come from undici's own files rather than its index, which also loads fetch, WebSocket, EventSource, the mocks
 * and the caches: that halves what the first request has to evaluate and what the extension ships. This module is
 * bundled on its own as dist/undici.js (esbuild.js) and required on the first request (./http.ts).
 */

/* eslint-disable @typescript-eslint/no-require-imports */
const Dispatcher = require('undici/lib/dispatcher/dispatcher') as { prototype: object };
// As undici's index does: request, stream, pipeline, connect and upgrade are methods of every dispatcher.
Object.assign(Dispatcher.prototype, require('undici/lib/api') as object);

export const Agent = require('undici/lib/dispatcher/agent') as typeof UndiciAgent;
export const ProxyAgent = require('undici/lib/dispatcher/proxy-agent') as typeof UndiciProxyAgent;
