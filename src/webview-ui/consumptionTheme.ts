import type { Product } from '../shared/consumptionProtocol';

/**
 * Chart colours come from the VS Code theme's own chart palette (`--vscode-charts-*`), read when the
 * theme changes, so bars match the editor in light, dark and high-contrast themes. The table's colour
 * swatches use the same index through CSS classes, which keeps style attributes out of the page.
 */

const PALETTE: readonly [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
];
/** Past six organizations the hues repeat at lower opacity, so neighbours in a stack stay apart. */
const SHADES = [1, 0.7, 0.5, 0.35];

const PRODUCT_COLOUR: Record<Product, number> = { devin: 0, cascade: 3, terminal: 2, review: 1 };

export interface ThemeColours {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly font: string;
  series(index: number): string;
  product(product: Product): string;
}

export function swatchFor(index: number): { readonly colour: number; readonly shade: number } {
  return { colour: index % PALETTE.length, shade: Math.floor(index / PALETTE.length) % SHADES.length };
}

export function productSwatch(product: Product): { readonly colour: number; readonly shade: number } {
  return { colour: PRODUCT_COLOUR[product], shade: 0 };
}

export function readTheme(element: HTMLElement = document.body): ThemeColours {
  const style = getComputedStyle(element);
  const variable = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const base = PALETTE.map(([name, fallback]) => variable(name, fallback));
  const foreground = variable('--vscode-foreground', '#cccccc');
  const cache = new Map<number, string>();
  const series = (index: number) => {
    let colour = cache.get(index);
    if (colour === undefined) {
      const swatch = swatchFor(index);
      colour = withAlpha(base[swatch.colour] as string, SHADES[swatch.shade] as number);
      cache.set(index, colour);
    }
    return colour;
  };
  return {
    foreground,
    muted: variable('--vscode-descriptionForeground', foreground),
    grid: withAlpha(foreground, 0.15),
    font: variable('--vscode-font-family', 'sans-serif'),
    series,
    product: (product) => base[PRODUCT_COLOUR[product]] as string,
  };
}

let probe: CanvasRenderingContext2D | null | undefined;

/**
 * Any CSS colour with the given opacity. The theme may give `#rgb`, `#rrggbbaa`, `rgb()` or a name;
 * a canvas normalises all of them to `#rrggbb` or `rgba(...)`, which is simple to rewrite.
 */
export function withAlpha(colour: string, alpha: number): string {
  if (alpha >= 1) return colour;
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return colour;
  probe.fillStyle = '#000000';
  probe.fillStyle = colour;
  const normal = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(normal);
  if (hex)
    return `rgba(${parseInt(hex[1] as string, 16)}, ${parseInt(hex[2] as string, 16)}, ${parseInt(hex[3] as string, 16)}, ${alpha})`;
  const rgba = /^rgba?\(([^,]+),([^,]+),([^,)]+)(?:,([^)]+))?\)$/.exec(normal.replace(/\s/g, ''));
  if (rgba) return `rgba(${rgba[1]}, ${rgba[2]}, ${rgba[3]}, ${Number(rgba[4] ?? 1) * alpha})`;
  return colour;
}
