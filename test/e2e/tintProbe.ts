// Reads the editor's attention tints as the user sees them: which colours each visual line carries, and the text
// and background colours the tints sit between (for contrast).
import type { Rgb } from '../../src/editor/tintContrast';
import type { Workbench } from './workbench';

type Rgba = [number, number, number, number];

/** Tinted decoration elements grouped by visual line (their top edge), with the distinct colours on each. */
export async function tintedLines(workbench: Workbench, file: string): Promise<{ top: number; colours: string[] }[]> {
  return workbench.editorFor(file).evaluate((editor: unknown) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const w = globalThis as any;
    const byTop = new Map<number, Set<string>>();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for (const e of Array.from((editor as any).querySelectorAll('[class*="ced-"]')) as any[]) {
      const bg = w.getComputedStyle(e).backgroundColor;
      if (!bg || bg === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(bg)) continue;
      const box = e.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const top = Math.round(box.top);
      if (!byTop.has(top)) byTop.set(top, new Set());
      byTop.get(top)!.add(bg);
    }
    return [...byTop].map(([top, colours]) => ({ top, colours: [...colours] }));
  });
}

/** The editor's text and background colours and every tint colour painted now (rgba, alpha 0…1). */
export async function tintColours(workbench: Workbench, file: string): Promise<{ text: Rgb; background: Rgb; tints: Rgba[] }> {
  const raw = await workbench.editorFor(file).evaluate((editor: unknown) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const w = globalThis as any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const ed = editor as any;
    const background = w.getComputedStyle(ed.querySelector('.monaco-editor-background') ?? ed).backgroundColor;
    const text = w.getComputedStyle(ed.querySelector('.view-lines') ?? ed).color;
    const tints = new Set<string>();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for (const e of Array.from(ed.querySelectorAll('[class*="ced-"]')) as any[]) {
      const bg = w.getComputedStyle(e).backgroundColor;
      if (bg && bg !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(bg) && e.getBoundingClientRect().width > 0) tints.add(bg);
    }
    return { background, text, tints: [...tints] };
  });
  const parse = (css: string): Rgba => {
    const v = (css.match(/[\d.]+/g) ?? []).map(Number);
    return [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0, v.length > 3 ? v[3] : 1];
  };
  const rgb = (c: Rgba): Rgb => [c[0], c[1], c[2]];
  return { text: rgb(parse(raw.text)), background: rgb(parse(raw.background)), tints: raw.tints.map(parse) };
}
