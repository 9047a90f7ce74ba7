/**
 * A thread of the conclusion parser's pool (services/conclusion-parser.ts): one parse a task. A refusal of the
 * text comes back as data, since an error's class does not cross threads.
 */
import { ConclusionInputError, parseConclusion, type ParseOptions, type ParseResult } from '../domain/conclusion/parse.js';

export type ParseTask = { text: string; options: ParseOptions };
export type ParseOutcome = { result: ParseResult } | { refused: { code: ConclusionInputError['code']; message: string } };

export default function parse({ text, options }: ParseTask): ParseOutcome {
  try {
    return { result: parseConclusion(text, options) };
  } catch (err) {
    if (err instanceof ConclusionInputError) return { refused: { code: err.code, message: err.message } };
    throw err;
  }
}
