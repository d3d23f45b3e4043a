import { ArchiveError } from './archive-error';

const size = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`);

/**
 * The bytes an archive's streams may still deliver, all entries together: a header can lie about
 * an entry's size, so the streamed bytes themselves are counted, and the stream stops past it.
 */
export class ByteBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {}

  /** The chunks of `stream`, failing (ArchiveError) once the budget is spent. */
  async *counted(stream: AsyncIterable<Buffer>, name: string): AsyncIterable<Buffer> {
    for await (const chunk of stream) {
      this.used += chunk.length;
      if (this.used > this.maxBytes) {
        throw new ArchiveError(`${name} is too large: the archive unpacks to more than ${size(this.maxBytes)}`);
      }
      yield chunk;
    }
  }
}
