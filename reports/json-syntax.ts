// Where and why a text is not JSON, in kubeprop's own words. JSON.parse's message is V8's and
// changes between Node versions ("... at position 29" became "... at position 29 (line 1
// column 30)" in Node 22), so a trace's error must not quote it. jsonc-parser (the JSON
// scanner of VS Code) finds the first error and its offset; the words are ours.
import { parse, ParseErrorCode } from 'jsonc-parser';

const WHAT: Record<ParseErrorCode, string> = {
  [ParseErrorCode.InvalidSymbol]: 'an unexpected symbol',
  [ParseErrorCode.InvalidNumberFormat]: 'a malformed number',
  [ParseErrorCode.PropertyNameExpected]: 'a property name (a double-quoted string) was expected',
  [ParseErrorCode.ValueExpected]: 'a value was expected',
  [ParseErrorCode.ColonExpected]: 'a colon was expected',
  [ParseErrorCode.CommaExpected]: 'a comma was expected',
  [ParseErrorCode.CloseBraceExpected]: 'a closing } was expected',
  [ParseErrorCode.CloseBracketExpected]: 'a closing ] was expected',
  [ParseErrorCode.EndOfFileExpected]: 'the text goes on after the JSON value',
  [ParseErrorCode.InvalidCommentToken]: 'a comment, which JSON does not allow',
  [ParseErrorCode.UnexpectedEndOfComment]: 'an unterminated comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'an unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'an unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'a malformed \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'a malformed escape',
  [ParseErrorCode.InvalidCharacter]: 'a character JSON does not allow in a string',
};

/** The line and column (both from 1) of an offset into the text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Why the text (which JSON.parse refused) is not JSON: "line 1, column 30: a value was expected". */
export function jsonSyntaxError(text: string): string {
  const errors: { error: ParseErrorCode; offset: number }[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return 'not valid JSON';
  const { line, column } = lineAndColumn(text, first.offset);
  return `line ${line}, column ${column}: ${WHAT[first.error]}`;
}
