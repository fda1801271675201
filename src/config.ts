import * as vscode from 'vscode';
import { API_VERSIONS, clampPageSize, type ApiVersion } from './api/client';
import { DEFAULT_API_BASE_URL, parseApiBaseUrl } from './core/apiBaseUrl';
import type { NotificationLevel } from './store/sessionNews';
import { clampRefreshSeconds } from './store/sessionPoller';

/** Reads the `devin.*` settings (and VS Code's proxy settings). No setting ever holds a token. */

export { DEFAULT_API_BASE_URL };

export interface DevinSettings {
  /** Normalised (no trailing slash or version); the default when the setting is invalid, which then never gets used. */
  readonly apiBaseUrl: string;
  /** `scheme://host[:port]` of `apiBaseUrl`: what the stored token is bound to. */
  readonly apiOrigin: string;
  /** Set when `devin.apiBaseUrl` is unusable: says what is wrong, naming the setting. No request may be sent. */
  readonly apiBaseUrlProblem: string | undefined;
  readonly apiVersion: ApiVersion;
  readonly orgId: string | undefined;
  readonly pageSize: number;
  /** 0 (off) or at least 15. */
  readonly autoRefreshSeconds: number;
  /** 0 (off) or at least 60. */
  readonly backgroundRefreshSeconds: number;
  readonly notifications: NotificationLevel;
  readonly proxyUrl: string | undefined;
  readonly proxyStrictSSL: boolean;
  readonly requestTimeoutMs: number;
}

export function readSettings(): DevinSettings {
  const devin = vscode.workspace.getConfiguration('devin');
  const http = vscode.workspace.getConfiguration('http');
  const version = devin.get<string>('apiVersion', 'v3');
  const baseUrl = parseApiBaseUrl(devin.get<string>('apiBaseUrl'));
  return {
    apiBaseUrl: baseUrl.ok ? baseUrl.baseUrl : DEFAULT_API_BASE_URL,
    apiOrigin: baseUrl.ok ? baseUrl.origin : DEFAULT_API_BASE_URL,
    apiBaseUrlProblem: baseUrl.ok ? undefined : baseUrl.problem,
    apiVersion: (API_VERSIONS as readonly string[]).includes(version) ? (version as ApiVersion) : 'v3',
    orgId: devin.get<string>('orgId')?.trim() || undefined,
    pageSize: clampPageSize(devin.get<number>('pageSize', 50)),
    autoRefreshSeconds: clampRefreshSeconds(devin.get<number>('autoRefreshSeconds', 30), 30, 15),
    backgroundRefreshSeconds: clampRefreshSeconds(devin.get<number>('backgroundRefreshSeconds', 120), 120, 60),
    notifications: notificationLevel(devin.get<string>('notifications', 'waiting')),
    proxyUrl: http.get<string>('proxy')?.trim() || process.env.HTTPS_PROXY || process.env.https_proxy || undefined,
    proxyStrictSSL: http.get<boolean>('proxyStrictSSL', true),
    requestTimeoutMs: Math.round(clampTimeoutSeconds(devin.get<number>('requestTimeoutSeconds', 30)) * 1000),
  };
}

/** A timeout outside 1–300 s is either useless (every call fails) or hides a dead connection for minutes. */
function clampTimeoutSeconds(seconds: number): number {
  return Number.isFinite(seconds) ? Math.min(300, Math.max(1, seconds)) : 30;
}

function notificationLevel(value: string | undefined): NotificationLevel {
  return value === 'off' || value === 'all' ? value : 'waiting';
}

/** Settings whose change means a new API client (and a reload of the tree). */
export function affectsConnection(event: vscode.ConfigurationChangeEvent): boolean {
  return [
    'devin.apiBaseUrl',
    'devin.apiVersion',
    'devin.orgId',
    'devin.requestTimeoutSeconds',
    'http.proxy',
    'http.proxyStrictSSL',
  ].some((key) => event.affectsConfiguration(key));
}
