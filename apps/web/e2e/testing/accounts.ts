import type { APIResponse, BrowserContext, Page } from 'playwright-core';

export type TestUser = { name: string; email: string; password: string };

/** Signs `user` up, confirms the address from the dev mailbox and logs in (no second factor). */
export async function signUpAndLogIn(page: Page, origin: string, user: TestUser): Promise<void> {
  await page.goto(`${origin}/signup`);
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
  await page.goto(`${origin}/dev/mailbox`);
  const message = page.getByTestId('mail-message').filter({ hasText: user.email }).first();
  await message.locator('a[href*="/verify-email?token="]').click();
  await page.getByRole('heading', { name: 'Email confirmed' }).waitFor();
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL('**/account');
}

/**
 * Calls the api (`/api/v1<path>`) with the browser context's session, as the page would: its
 * cookies, and the CSRF header and Origin that unsafe methods need.
 */
export async function callApi(
  context: BrowserContext,
  origin: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  data?: unknown,
): Promise<APIResponse> {
  const csrf = (await context.cookies()).find((cookie) => cookie.name === '__Host-sy_csrf');
  return context.request.fetch(`${origin}/api/v1${path}`, {
    method,
    headers: { 'x-csrf-token': csrf?.value ?? '', origin },
    ...(data === undefined ? {} : { data }),
  });
}
