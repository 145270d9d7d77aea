/**
 * A Lambda entry point whose handler is built on the first invocation, once
 * per container. Handler modules export `createHandler(app)` for the local
 * runtime and the tests, and `handler` built this way from the environment.
 */
export function builtOnFirstCall<E, C, R>(
  build: () => (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  let handler: ((event: E, context: C) => Promise<R>) | undefined;
  return (event, context) => {
    handler ??= build();
    return handler(event, context);
  };
}
