// The throwaway workspace the end-to-end tests open: a short Python file, a prose file and a Python file long
// enough to fill the model's 512-token window. Written fresh per run so earlier runs cannot leak in.
import * as fs from 'fs';
import * as path from 'path';

export const SAMPLE_PY = 'sample.py';
export const NOTES_MD = 'notes.md';
export const LONG_PY = 'long_module.py';

const sample = `def greet(name):
    message = "Hello, " + name
    return message.upper()
`;

const notes = `The quick brown fox jumps over the lazy dog.
Attention shows which words a model looks at when it reads a sentence.
Every layer and every head can look somewhere else.
`;

/** A Python module of ~1,400 tokens, so selecting all of it reaches the 512-token limit with text to spare. */
function longModule(): string {
  const lines = ['"""Inventory helpers used to exercise a long selection."""', ''];
  const items = ['apples', 'pears', 'plums', 'cherries', 'lemons', 'figs', 'dates', 'grapes', 'melons', 'limes'];
  items.forEach((item, index) => {
    lines.push(`def count_${item}(stock, minimum=${index + 2}):`);
    lines.push(`    """Return how many ${item} are left after keeping ${index + 2} in reserve."""`);
    lines.push(`    available = stock.get("${item}", 0) - minimum`);
    lines.push(`    if available < 0:`);
    lines.push(`        return 0`);
    lines.push(`    return available * ${index + 1}`);
    lines.push('');
  });
  return lines.join('\n') + '\n';
}

export function writeWorkspace(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, SAMPLE_PY), sample);
  fs.writeFileSync(path.join(folder, NOTES_MD), notes);
  fs.writeFileSync(path.join(folder, LONG_PY), longModule());
}

export function readWorkspaceFile(folder: string, name: string): string {
  return fs.readFileSync(path.join(folder, name), 'utf8');
}

/** Text of lines [from, to] (1-based, inclusive) including their line breaks, as Shift+Down selects it. */
export function linesOf(text: string, from: number, to: number): string {
  return text.split('\n').slice(from - 1, to).map((line) => `${line}\n`).join('');
}
