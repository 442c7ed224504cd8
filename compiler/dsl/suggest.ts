// "Did you mean" for names: the nearest known spelling within a small edit distance.

export function suggest(name: string, known: string[]): string {
  const close = known.filter((k) => editDistance(k, name) <= 2);
  return close.length ? ` (did you mean '${close[0]}'?)` : '';
}

export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  return d[a.length]![b.length]!;
}
