// A minimal GraphQL-over-SSE subscriber (Yoga's default transport): posts the subscription with
// Accept: text/event-stream and yields each `next` payload.
export interface Subscription<T> {
  next(timeoutMs?: number): Promise<T>;
  close(): void;
}

export async function subscribe<T>(
  url: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Subscription<T>> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  if (!response.ok || !response.body)
    throw new Error(`subscription refused: ${response.status} ${await response.text()}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const queue: T[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (data && frame.split('\n').some((l) => l === 'event: next' || !l.startsWith('event:'))) {
            queue.push(JSON.parse(data) as T);
            waiting?.();
          }
        }
      }
    } catch {
      // closed
    }
  })();
  return {
    async next(timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (Date.now() > until) throw new Error('no subscription event arrived in time');
        await new Promise<void>((resolve) => {
          waiting = resolve;
          setTimeout(resolve, 50);
        });
      }
      return queue.shift()!;
    },
    close: () => controller.abort(),
  };
}
