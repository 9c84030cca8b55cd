import { PassThrough } from 'node:stream';

/** A question's input and output as streams, with what the question drew so far. */
export function promptStreams() {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.setEncoding('utf8').on('data', (chunk: string) => (shown += chunk));
  return { input, output, shown: () => shown };
}

export type PromptStreams = ReturnType<typeof promptStreams>;

/** Resolves once the question is drawn, so what the test sends next reaches a waiting prompt. */
export async function drawn(io: PromptStreams, question: RegExp): Promise<void> {
  while (!question.test(io.shown())) await new Promise((resolve) => setImmediate(resolve));
}
