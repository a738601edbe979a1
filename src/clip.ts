// Shortening quoted text (server messages, bodies, log lines) for one-line evidence: at a word
// boundary, never inside a number or a word, and always marked with "...".

/** `text` at most `max` characters long (plus "..."), cut before a whole word. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const at = cut.search(/\s\S*$/);
  return `${(at > max / 2 ? cut.slice(0, at) : cut.replace(/[\w.:/-]+$/, '')).trimEnd()}...`;
}
