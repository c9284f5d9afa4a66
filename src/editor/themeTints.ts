// The eight tint colours the manifest contributes, for a theme kind (the hover card's legend shows them). Pure.

type ThemeKindKey = 'dark' | 'light' | 'highContrast' | 'highContrastLight';

/** VS Code's ColorThemeKind numbers: 1 light, 2 dark, 3 high contrast, 4 high contrast light. */
export function themeKindKey(kind: number): ThemeKindKey {
  return kind === 1 ? 'light' : kind === 3 ? 'highContrast' : kind === 4 ? 'highContrastLight' : 'dark';
}

export function tintColorsFor(packageJson: unknown, kind: number): string[] {
  const colors = (packageJson as { contributes?: { colors?: { id: string; defaults: Record<string, string> }[] } })?.contributes?.colors ?? [];
  const key = themeKindKey(kind);
  return Array.from({ length: 8 }, (_, i) => colors.find((c) => c.id === `attentionLens.tint${i + 1}`)?.defaults[key]).filter((c): c is string => /^#[0-9a-fA-F]{8}$/.test(c ?? ''));
}
