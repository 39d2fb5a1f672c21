const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChrome\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\biPhone|\biPad|\biPod/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMacintosh\b|\bMac OS X\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** Programmatic clients: the product name of the user agent (`curl/8.5.0` → `curl`). */
const CLIENT_PATTERN = /^([A-Za-z][\w.-]{0,39})\/[\w.]+/;

function firstMatch(value: string, table: [RegExp, string][]): string | undefined {
  return table.find(([pattern]) => pattern.test(value))?.[1];
}

/**
 * A short, human description of a user agent for the sessions list, for example
 * `Firefox on Windows`. Deliberately coarse: users recognise their devices, and nothing here is
 * used for security decisions.
 */
export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  const value = userAgent.slice(0, 512);
  const browser = firstMatch(value, BROWSERS);
  const system = firstMatch(value, SYSTEMS);
  if (browser && system) return `${browser} on ${system}`;
  if (browser ?? system) return browser ?? system ?? 'Unknown device';
  if (value.startsWith('Mozilla/')) return 'Unknown browser';
  return CLIENT_PATTERN.exec(value)?.[1] ?? 'Unknown device';
}
