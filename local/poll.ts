/**
 * Waits for a condition by polling it, never by sleeping a fixed time:
 * resolves with the first truthy value, fails after `timeoutMs`.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: {
    timeoutMs?: number;
    intervalMs?: number;
    retryOnError?: (error: unknown) => boolean;
    what?: string;
  } = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, retryOnError = () => false } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      if (!retryOnError(error)) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
