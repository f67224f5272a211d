/** A small JSON client of the local server for e2e tests, and the text helpers they share. */
import { expect } from 'vitest';

export interface Answer {
  status: number;
  body: any;
}

/** `api(method, path, body?)` against the server at `url()`, as the bearer of `token()`. */
export function apiClient(url: () => string, token: () => string) {
  return async function api(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(url() + path, {
      method,
      headers: { authorization: `Bearer ${token()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

export async function expectStatus(answer: Promise<Answer>, status: number): Promise<any> {
  const { status: got, body } = await answer;
  expect(got, JSON.stringify(body)).toBe(status);
  return body;
}

/** The text a reader sees, with the narrow and no-break spaces of French typography made plain. */
export const plain = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
