/** What a Next page receives as `searchParams` (a promise since Next 15). */
export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first value of query parameter `name`, or null. */
export async function readSearchParam(
  searchParams: SearchParams,
  name: string,
): Promise<string | null> {
  const value = (await searchParams)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.length > 0 ? first : null;
}
