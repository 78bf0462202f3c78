// Word error count between what was said and what was heard: the word-level edit distance
// (substitutions, deletions, insertions), over the words of what was said. Case and punctuation
// do not count.

const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

export function wordErrors(said: string, heard: string): { words: number; errors: number } {
  const ref = words(said);
  const hyp = words(heard);
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) {
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return { words: ref.length, errors: prev[hyp.length]! };
}
