/** Tags as typed in one box: separated by commas, trimmed, no duplicates. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((t) => t.trim()).filter((t) => t.length > 0))];
}

export function tagsText(tags: string[]): string {
  return tags.join(', ');
}
