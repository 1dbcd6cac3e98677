import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import request from 'supertest';
import twilio from 'twilio';
import { TWILIO_SIGNATURE_HEADER } from '../../src/twilio/constants';
import { TEST_AUTH_TOKEN, type RunningApp } from './app';

export type TwilioParams = Record<string, string>;

export interface PostOptions {
  /** Sign with another token (a forger's); null sends no signature at all. */
  token?: string | null;
}

/**
 * POSTs a webhook the way Twilio does: form-encoded, X-Twilio-Signature over the full URL (the app's
 * PUBLIC_BASE_URL + path and query) and the parameters, with the test auth token. `target` is a path
 * ("/voice/incoming") or an absolute URL taken from the app's own TwiML.
 */
export function signedPost(app: RunningApp, target: string, params: TwilioParams, options: PostOptions = {}): request.Test {
  const url = target.startsWith('http') ? target : app.baseUrl + target;
  const { pathname, search } = new URL(url);
  const req = request(app.baseUrl).post(pathname + search).type('form').send(params);
  const token = options.token === undefined ? TEST_AUTH_TOKEN : options.token;
  return token === null ? req : req.set(TWILIO_SIGNATURE_HEADER, twilio.getExpectedTwilioSignature(token, url, params));
}

/** One TwiML element: its verb or noun name, attributes, child elements, and its text when it has any. */
export interface TwimlNode {
  name: string;
  attributes: Record<string, string>;
  children: TwimlNode[];
  text?: string;
}

/** Builds an expected element: `el('Dial', { timeout: '40' }, el('Number', {}, '+1555…'))`. */
export function el(name: string, attributes: Record<string, string> = {}, ...content: Array<TwimlNode | string>): TwimlNode {
  const text = content.filter((c): c is string => typeof c === 'string').join('');
  return {
    name,
    attributes,
    children: content.filter((c): c is TwimlNode => typeof c !== 'string'),
    ...(text ? { text } : {}),
  };
}

/** Parses a webhook answer; throws unless it is well-formed XML whose root is `<Response>`. */
export function parseTwiml(xml: string): TwimlNode {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) })
    .parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (errors.length > 0 || !root) throw new Error(`invalid TwiML: ${errors.join('; ') || 'no root'}\n${xml}`);
  if (root.nodeName !== 'Response') throw new Error(`TwiML root is <${root.nodeName}>, not <Response>`);
  return toNode(root);
}

/** The first element named `name`, depth first (the root included); throws when there is none. */
export function find(node: TwimlNode, name: string): TwimlNode {
  const found = findAll(node, name)[0];
  if (!found) throw new Error(`no <${name}> in the TwiML`);
  return found;
}

export function findAll(node: TwimlNode, name: string): TwimlNode[] {
  const own = node.name === name ? [node] : [];
  return own.concat(...node.children.map((child) => findAll(child, name)));
}

/** An attribute that must be present (an action or url to follow, like Twilio does). */
export function attr(node: TwimlNode, name: string): string {
  const value = node.attributes[name];
  if (value === undefined) throw new Error(`<${node.name}> has no ${name} attribute`);
  return value;
}

const ELEMENT_NODE = 1;
const TEXT_NODES = new Set([3, 4]);

function toNode(element: Element): TwimlNode {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < element.attributes.length; i += 1) {
    const a = element.attributes.item(i);
    if (a) attributes[a.name] = a.value;
  }
  const children: TwimlNode[] = [];
  let text = '';
  for (let child: Node | null = element.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === ELEMENT_NODE) children.push(toNode(child as Element));
    else if (TEXT_NODES.has(child.nodeType)) text += child.nodeValue ?? '';
  }
  const trimmed = text.trim();
  return { name: element.nodeName, attributes, children, ...(trimmed ? { text: trimmed } : {}) };
}
