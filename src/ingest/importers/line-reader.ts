import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** A non-empty line of a text file with its 1-based line number (a trailing `\r` and a leading BOM removed). */
export interface TextLine {
  line: number;
  text: string;
}

/**
 * Streams the non-empty lines of a text stream (LF or CRLF), counting every line so numbers match an
 * editor's. Memory stays at one chunk whatever the file size.
 *
 * @example for await (const { line, text } of readLines(createReadStream('u.data'))) console.log(line, text);
 */
export async function* readLines(input: Readable): AsyncGenerator<TextLine> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (let text of lines) {
      line++;
      if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text.trim() === '') continue;
      yield { line, text };
    }
  } finally {
    lines.close();
  }
}
