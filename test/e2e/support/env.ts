/** What global setup hands to the tests (through the environment, as Playwright passes it to workers). */
export interface E2EEnv {
  url: string;
  token: string;
  port: number;
  evidence: string;
  casePath: string;
  bulkRows: number;
}

export const E2E_ENV_VAR = 'CLOUDSIFT_E2E';

export function e2eEnv(): E2EEnv {
  const raw = process.env[E2E_ENV_VAR];
  if (!raw) throw new Error('The e2e server is not running: run the suite through playwright.config.ts');
  return JSON.parse(raw) as E2EEnv;
}
