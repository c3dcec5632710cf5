/** `value` when it is one of `choices` (with the choices' own type), else undefined. */
export function oneOf<C extends string>(value: string, choices: readonly C[]): C | undefined {
  return choices.find((choice) => choice === value);
}

/** Why `value` is refused where one of `choices` is needed: `--format must be one of mermaid, dot, got "dott" — did you mean "dot"?` */
export function notOneOf(subject: string, value: string, choices: readonly string[]): string {
  return `${subject} must be one of ${choices.join(', ')}, got "${value}"${didYouMean(value, choices)}`;
}

/** "Did you mean" for unknown names: the closest candidate within a small edit distance. */

export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      const substitution = diagonal + (a[i - 1] === b[j - 1] ? 0 : 1);
      previous[j] = Math.min(above + 1, previous[j - 1] + 1, substitution);
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The candidate closest to `name`, if it is close enough to be a plausible typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closest(name, candidates);
  return suggestion === undefined ? '' : ` — did you mean "${suggestion}"?`;
}
