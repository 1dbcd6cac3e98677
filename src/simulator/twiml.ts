import { DOMParser, type Element, type Node as XmlNode } from '@xmldom/xmldom';

/** One TwiML element: a verb, or a noun inside a verb. */
export interface TwimlNode {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Trimmed text content of the element itself (a URL, a number, words to say). */
  readonly text: string;
  readonly children: readonly TwimlNode[];
}

export class TwimlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwimlParseError';
  }
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** Parses a TwiML document; throws TwimlParseError for malformed XML or a root other than <Response>. */
export function parseTwiml(xml: string): TwimlNode {
  let root: Element | null;
  try {
    const doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new TwimlParseError(message);
      },
    }).parseFromString(xml, 'text/xml');
    root = doc.documentElement;
  } catch (err) {
    throw new TwimlParseError(err instanceof Error ? err.message : String(err));
  }
  if (!root) throw new TwimlParseError('empty document');
  if (root.nodeName !== 'Response') throw new TwimlParseError(`root element is <${root.nodeName}>, not <Response>`);
  return toNode(root);
}

function toNode(el: Element): TwimlNode {
  const attrs: Record<string, string> = {};
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (a) attrs[a.name] = a.value;
  }
  const children: TwimlNode[] = [];
  let text = '';
  for (let child: XmlNode | null = el.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) children.push(toNode(child as Element));
    else if (child.nodeType === TEXT_NODE || child.nodeType === CDATA_SECTION_NODE) text += child.nodeValue ?? '';
  }
  return { name: el.nodeName, attrs, text: text.trim(), children };
}

/** Integer attribute with a default and bounds; non-numeric values fall back to the default. */
export function intAttr(node: TwimlNode, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = node.attrs[name];
  if (raw === undefined || !/^-?\d+(\.\d+)?$/.test(raw.trim())) return fallback;
  return Math.min(max, Math.max(min, Number(raw)));
}

export function boolAttr(node: TwimlNode, name: string, fallback: boolean): boolean {
  const raw = node.attrs[name]?.toLowerCase();
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return fallback;
}

export function methodAttr(node: TwimlNode, name = 'method'): 'GET' | 'POST' {
  return node.attrs[name]?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

/** Resolves a (possibly relative) URL from TwiML against the URL of the document it came from. */
export function resolveUrl(url: string, documentUrl: string): string {
  const trimmed = url.trim();
  return /^https?:\/\//i.test(trimmed) ? trimmed : new URL(trimmed, documentUrl).toString();
}
