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

/**
 * `value` as JSON text in which the characters `printable` escapes are `\uXXXX` escapes too: JSON.stringify
 * escapes C0 controls and lone surrogates but leaves DEL, C1 controls (U+0080-009F), bidi controls
 * (U+202A-202E, U+2066-2069), zero-width characters and U+2028/2029 as they are, which a terminal obeys.
 * Parsed, the text gives back `value` unchanged.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(unprintable, (ch) => {
    let escaped = '';
    for (let i = 0; i < ch.length; i++) escaped += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}
