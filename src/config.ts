import * as vscode from 'vscode';
import { API_VERSIONS, clampPageSize, type ApiVersion } from './api/client';

/** Reads the `devin.*` settings (and VS Code's proxy settings). No setting ever holds a token. */

export const DEFAULT_API_BASE_URL = 'https://api.devin.ai';

export interface DevinSettings {
  readonly apiBaseUrl: string;
  readonly apiVersion: ApiVersion;
  readonly orgId: string | undefined;
  readonly pageSize: number;
  readonly autoRefreshSeconds: number;
  readonly proxyUrl: string | undefined;
  readonly proxyStrictSSL: boolean;
  readonly requestTimeoutMs: number;
}

export function readSettings(): DevinSettings {
  const devin = vscode.workspace.getConfiguration('devin');
  const http = vscode.workspace.getConfiguration('http');
  const version = devin.get<string>('apiVersion', 'v3beta1');
  const baseUrl = (devin.get<string>('apiBaseUrl') || DEFAULT_API_BASE_URL).trim().replace(/\/+$/, '');
  return {
    // A base URL that already ends in a version (copied from the docs) would double it in every path.
    apiBaseUrl: baseUrl.replace(/\/(v3beta1|v3|v2|v1)$/, ''),
    apiVersion: (API_VERSIONS as readonly string[]).includes(version) ? (version as ApiVersion) : 'v3beta1',
    orgId: devin.get<string>('orgId')?.trim() || undefined,
    pageSize: clampPageSize(devin.get<number>('pageSize', 50)),
    autoRefreshSeconds: Math.max(0, devin.get<number>('autoRefreshSeconds', 60)),
    proxyUrl: http.get<string>('proxy')?.trim() || process.env.HTTPS_PROXY || process.env.https_proxy || undefined,
    proxyStrictSSL: http.get<boolean>('proxyStrictSSL', true),
    requestTimeoutMs: Math.round(clampTimeoutSeconds(devin.get<number>('requestTimeoutSeconds', 30)) * 1000),
  };
}

/** A timeout outside 1–300 s is either useless (every call fails) or hides a dead connection for minutes. */
function clampTimeoutSeconds(seconds: number): number {
  return Number.isFinite(seconds) ? Math.min(300, Math.max(1, seconds)) : 30;
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
