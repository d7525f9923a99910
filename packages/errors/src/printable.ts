// Text from a peer (a KDC's e-text, names in its replies, certificate fields) made safe to show on a terminal or in a log line.

/** Control (C0, DEL, C1), format (bidi overrides, zero-width), line and paragraph separators, lone surrogates. */
const unprintable = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * `text` with every character that could move the cursor, start an escape sequence, reorder or hide
 * text replaced by a visible escape (`\x1b`, `\u202e`, `\u{e0001}`); everything else unchanged.
 */
export function printable(text: string): string {
  return text.replace(unprintable, (ch) => {
    const code = ch.codePointAt(0) as number;
    if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
    if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
    return `\\u{${code.toString(16)}}`;
  });
}
