// The decode pool's worker thread (piscina loads it by file name): each task is one decodeFile call.
import { decodeFile, DecodeRequest } from './decode-file';

/** The result as JSON text: cheap for runs, and the caller rebuilds it in its own realm (see ActivityDecoder). */
export default function decodeInThread(request: DecodeRequest): string {
  return JSON.stringify(decodeFile(request));
}
