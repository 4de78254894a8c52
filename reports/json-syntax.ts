// Where and why a text is not JSON, in kubeprop's own words. JSON.parse's message is V8's and
// changes between Node versions ("... at position 29" became "... at position 29 (line 1
// column 30)" in Node 22), so a trace's error must not quote it. jsonc-parser (the JSON
// scanner of VS Code) finds the first error and its offset; the words are ours.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** By the name printParseErrorCode gives each error code. */
const WHAT: Record<string, string> = {
  InvalidSymbol: 'an unexpected symbol',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name (a double-quoted string) was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'the text goes on after the JSON value',
  InvalidCommentToken: 'a comment, which JSON does not allow',
  UnexpectedEndOfComment: 'an unterminated comment',
  UnexpectedEndOfString: 'an unterminated string',
  UnexpectedEndOfNumber: 'an unterminated number',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'a malformed escape',
  InvalidCharacter: 'a character JSON does not allow in a string',
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
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return 'not valid JSON';
  const { line, column } = lineAndColumn(text, first.offset);
  const code = printParseErrorCode(first.error);
  return `line ${line}, column ${column}: ${WHAT[code] ?? code}`;
}
