/**
 * A thread of the conclusion parser's pool (services/conclusion-parser.ts): one parse a task. A refusal of the
 * text comes back as data, since an error's class does not cross threads.
 */
import { ConclusionInputError, parseConclusion, type ParseOptions } from '../domain/conclusion/parse.js';

export type ParseTask = { text: string; options: ParseOptions };
/**
 * The result as JSON text: a string crosses to the main thread as one copy, where the object graph of thousands of
 * drafts took the main thread longer to rebuild (structured clone) than JSON.parse takes.
 */
export type ParseOutcome = { json: string } | { refused: { code: ConclusionInputError['code']; message: string } };

export default function parse({ text, options }: ParseTask): ParseOutcome {
  try {
    return { json: JSON.stringify(parseConclusion(text, options)) };
  } catch (err) {
    if (err instanceof ConclusionInputError) return { refused: { code: err.code, message: err.message } };
    throw err;
  }
}
