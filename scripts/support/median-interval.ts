/**
 * A 95 % confidence interval for the median of the distribution `xs` was drawn from, from order
 * statistics alone (no assumption about its shape): the j-th smallest and the j-th largest sample, with j
 * the largest for which both tails of Binomial(n, ½) below j hold at most 5 % together. Null for fewer
 * than 6 samples, where no such j exists.
 */
export function medianInterval(xs: number[]): [number, number] | null {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  let p = 2 ** -n; // P(X = 0)
  let below = 0; // P(X < j)
  let j = 0;
  while (j < n / 2 && 2 * (below + p) <= 0.05) {
    below += p;
    p = (p * (n - j)) / (j + 1);
    j++;
  }
  if (j === 0) return null;
  return [s[j - 1] as number, s[n - j] as number];
}
