/** The rejection of `promise` (undefined when it resolves), waiting at most `ms`. */
export async function settledError(promise: Promise<unknown>, ms = 15_000): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      promise.then(
        () => undefined,
        (error: unknown) => error,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
