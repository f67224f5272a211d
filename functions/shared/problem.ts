/** RFC 9457 problem details: the one place where errors become HTTP responses. */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpError, ValidationError } from './errors.ts';

export const PROBLEM_TYPE_BASE = 'https://api.oui-ensemble.fr/problems/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof HttpError) {
    const problem: Problem = {
      ...error.extensions,
      type: PROBLEM_TYPE_BASE + error.slug,
      title: error.title,
      status: error.status,
      detail: error.message,
    };
    if (error instanceof ValidationError) problem.errors = [...error.errors];
    if (instance) problem.instance = instance;
    return problem;
  }
  // Never echo an unexpected error to the caller: it may hold internals or personal data.
  return {
    type: PROBLEM_TYPE_BASE + 'internal',
    title: 'Internal error',
    status: 500,
    detail: 'An unexpected error occurred; it has been logged with this request id.',
    ...(instance ? { instance } : {}),
  };
}

export function problemResponse(problem: Problem, requestId?: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: JSON.stringify(problem),
  };
}
