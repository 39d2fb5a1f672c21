/** Tool-call arguments as JSON; the raw text when the model produced invalid JSON. */
export function parseToolArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
