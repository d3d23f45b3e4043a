import { waitFor } from './wait';

/** What GET /api/imports/:id answers (the fields the tests read). */
export interface ImportAnswer {
  id: string;
  status: 'queued' | 'decoding' | 'done' | 'failed';
  progress: { done: number; total: number };
  counts?: { imported: number; duplicate: number; rejected: number };
  files?: { filename: string; status: string; reason?: string; runs: object[]; warnings?: string[]; entries?: object[] }[];
  message?: string;
  [field: string]: unknown;
}

export interface UploadOutcome {
  /** What POST /api/runs/files answered: 202 once stored, 4xx when refused. */
  accepted: number;
  /** The refusal's body, or the import's state once the worker finished it. */
  body: ImportAnswer;
}

/** Polls the import at `path` (GET /api/imports/:id) until the worker has finished it. */
export function importFinished(baseUrl: string, path: string, headers: Record<string, string>): Promise<ImportAnswer> {
  return waitFor(`the import ${path} to finish`, async () => {
    const response = await fetch(`${baseUrl}${path}`, { headers });
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as ImportAnswer;
    return (body.status === 'done' || body.status === 'failed') && body;
  });
}

/**
 * POST /api/runs/files and, when it is taken (202), waits for the worker's import (needs a worker
 * on the stack's queues): the answer and results as the upload page reads them.
 */
export async function uploadFiles(baseUrl: string, headers: Record<string, string>, body: FormData): Promise<UploadOutcome> {
  const response = await fetch(`${baseUrl}/api/runs/files`, { method: 'POST', headers, body });
  const answer = (await response.json()) as ImportAnswer & { url?: string };
  if (response.status !== 202) return { accepted: response.status, body: answer };
  return { accepted: 202, body: await importFinished(baseUrl, answer.url!, headers) };
}
