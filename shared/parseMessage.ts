// Validation of every webview → host message (the webview is the less-trusted side). Never throws.
import { MAX_IMAGE_DATA_URL_LENGTH, PNG_DATA_URL_PREFIX, type FromWebviewMessage, type HostRequest, type Reading } from './messages';
import type { FigureSpec } from './figure';
import type { MatrixView } from './matrixView';
import { GRANULARITIES, type Granularity } from './granularity';
import { parseTokenRange } from './longMessages';

const MAX_SPAN = 100_000;

function isGranularity(v: unknown): v is Granularity {
  return typeof v === 'string' && (GRANULARITIES as readonly string[]).includes(v);
}

function parseReading(v: unknown): Reading | undefined {
  if (!isRecord(v) || !isGranularity(v.granularity)) return undefined;
  return v.direction === 'attendsTo' || v.direction === 'attendedBy' ? { granularity: v.granularity, direction: v.direction } : undefined;
}

const MAX_INDEX = 1_000_000;
const MAX_LOG_LENGTH = 10_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_INDEX;
}

function isEnvelopeId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isQuery(v: unknown): v is number | null {
  return v === null || isIndex(v);
}

function isPngDataUrl(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(PNG_DATA_URL_PREFIX) && v.length <= MAX_IMAGE_DATA_URL_LENGTH;
}

/** A well-formed view (bounds against the model are the host's job: it knows layers/heads/N). */
export function parseMatrixView(raw: unknown): MatrixView | undefined {
  if (!isRecord(raw)) return undefined;
  const base = parseLayerView(raw);
  if (!base || raw.part === undefined) return base;
  return raw.part === 'decoder' || raw.part === 'cross' ? { ...base, part: raw.part } : undefined;
}

function parseLayerView(raw: Record<string, unknown>): MatrixView | undefined {
  const { layer, head, aggregate } = raw;
  if (aggregate === undefined) return isIndex(layer) && isIndex(head) ? { layer, head } : undefined;
  if (head !== undefined) return undefined;
  if (aggregate === 'mean' || aggregate === 'max') return isIndex(layer) ? { layer, aggregate } : undefined;
  if (aggregate === 'rollout') {
    if (layer === undefined) return { aggregate };
    return isIndex(layer) ? { aggregate, layer } : undefined;
  }
  return undefined;
}

/** A request the panel may make of the host; undefined when its shape is wrong. */
export function parseHostRequest(raw: unknown): HostRequest | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'requestMatrix': {
      const view = parseMatrixView(raw.view);
      if (!view || !isGranularity(raw.granularity)) return undefined;
      if (raw.weighting === undefined) return { type: 'requestMatrix', view, granularity: raw.granularity };
      return raw.weighting === 'weights' || raw.weighting === 'value-norm' ? { type: 'requestMatrix', view, granularity: raw.granularity, weighting: raw.weighting } : undefined;
    }
    case 'requestOverview': {
      const view = parseMatrixView(raw.view);
      return view ? { type: 'requestOverview', view } : undefined;
    }
    case 'requestTile': {
      const view = parseMatrixView(raw.view);
      const queries = parseTokenRange(raw.queries);
      const keys = parseTokenRange(raw.keys);
      return view && queries && keys ? { type: 'requestTile', view, queries, keys } : undefined;
    }
    case 'requestGroups':
      return isGranularity(raw.granularity) ? { type: 'requestGroups', granularity: raw.granularity } : undefined;
    case 'exportImage': {
      const view = parseMatrixView(raw.view);
      if (!view || !isGranularity(raw.granularity)) return undefined;
      if (raw.format === 'png') return isPngDataUrl(raw.dataUrl) ? { type: 'exportImage', format: 'png', dataUrl: raw.dataUrl, view, granularity: raw.granularity } : undefined;
      // The figure's fields are checked by checkFigureSpec before anything is written from them.
      if (raw.format === 'svg') return isRecord(raw.figure) ? { type: 'exportImage', format: 'svg', figure: raw.figure as unknown as FigureSpec, view, granularity: raw.granularity } : undefined;
      return undefined;
    }
    case 'exportData': {
      const view = parseMatrixView(raw.view);
      const formatOk = raw.format === 'csv' || raw.format === 'json' || raw.format === 'html';
      const scopeOk = raw.scope === 'view' || raw.scope === 'all';
      return view && formatOk && scopeOk && isGranularity(raw.granularity)
        ? { type: 'exportData', format: raw.format as 'csv' | 'json' | 'html', scope: raw.scope as 'view' | 'all', view, granularity: raw.granularity }
        : undefined;
    }
    case 'compareHeads': {
      const a = parseHead(raw.a);
      const b = parseHead(raw.b);
      return a && b ? { type: 'compareHeads', a, b } : undefined;
    }
    case 'compareEdit':
    case 'compareModel': {
      const head = parseHead(raw.head);
      return head ? { type: raw.type, head } : undefined;
    }
    default:
      return undefined;
  }
}

/** One layer × head (bounds against the model are the host's job). */
function parseHead(raw: unknown): { layer: number; head: number } | undefined {
  return isRecord(raw) && isIndex(raw.layer) && isIndex(raw.head) ? { layer: raw.layer, head: raw.head } : undefined;
}

/** Whether a panel's answer to a host request has the right shape (checked by the host's messenger). */
export function panelResultIsValid(type: string, result: unknown): boolean {
  return type === 'renderPng' && isRecord(result) && isPngDataUrl(result.dataUrl);
}

/** Parses one webview message; undefined (ignore it) when the shape is wrong. */
export function parseFromWebview(raw: unknown): FromWebviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'request': {
      const request = parseHostRequest(raw.request);
      return request && isEnvelopeId(raw.id) ? { type: 'request', id: raw.id, request } : undefined;
    }
    case 'reply':
      if (!isEnvelopeId(raw.id)) return undefined;
      if ('error' in raw) return typeof raw.error === 'string' ? { type: 'reply', id: raw.id, error: raw.error.slice(0, MAX_LOG_LENGTH) } : undefined;
      return { type: 'reply', id: raw.id, result: raw.result };
    case 'hoverQuery':
    case 'pinQuery': {
      const view = parseMatrixView(raw.view);
      const reading = parseReading(raw.reading);
      return view && reading && isQuery(raw.query) ? { type: raw.type, query: raw.query, view, reading } : undefined;
    }
    case 'querySpan': {
      const view = parseMatrixView(raw.view);
      const reading = parseReading(raw.reading);
      const span = raw.span === null ? null : Array.isArray(raw.span) && raw.span.length <= MAX_SPAN && raw.span.every(isIndex) ? (raw.span as number[]) : undefined;
      return view && reading && span !== undefined ? { type: 'querySpan', span, view, reading } : undefined;
    }
    case 'viewChanged': {
      const view = parseMatrixView(raw.view);
      return view ? { type: 'viewChanged', view } : undefined;
    }
    case 'openHead':
      return isIndex(raw.layer) && isIndex(raw.head) ? { type: 'openHead', layer: raw.layer, head: raw.head } : undefined;
    case 'openAnalysis':
      return typeof raw.analysisId === 'string' && raw.analysisId.length > 0 && raw.analysisId.length <= 200
        ? { type: 'openAnalysis', analysisId: raw.analysisId }
        : undefined;
    case 'rerun':
      return { type: 'rerun' };
    case 'selectModel':
      return { type: 'selectModel' };
    case 'log':
      return (raw.level === 'error' || raw.level === 'warn' || raw.level === 'info') && typeof raw.message === 'string'
        ? { type: 'log', level: raw.level, message: raw.message.slice(0, MAX_LOG_LENGTH) }
        : undefined;
    case 'openGuide':
      return { type: 'openGuide' };
    default:
      return undefined;
  }
}
