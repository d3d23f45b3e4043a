import { XMLParser } from 'fast-xml-parser';

const REPEATED = new Set(['trk', 'trkseg', 'trkpt', 'Activity', 'Lap', 'Track', 'Trackpoint']);

/** Namespace prefixes dropped (gpxtpx:hr → hr), attributes kept without prefix, repeated elements always arrays. */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: true,
  isArray: (name) => REPEATED.has(name),
});

export type XmlNode = Record<string, unknown>;

export function parseXml(text: string): XmlNode {
  // Some exporters (Strava's TCX among them) put blank space before the XML declaration.
  return parser.parse(text.trimStart()) as XmlNode;
}

export function child(node: unknown, name: string): XmlNode | undefined {
  const value = (node as XmlNode | undefined)?.[name];
  return value && typeof value === 'object' ? (value as XmlNode) : undefined;
}

export function children(node: unknown, name: string): XmlNode[] {
  const value = (node as XmlNode | undefined)?.[name];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

export function numberAt(node: unknown, ...path: string[]): number | undefined {
  let value: unknown = node;
  for (const name of path) value = (value as XmlNode | undefined)?.[name];
  if (value && typeof value === 'object' && '#text' in value) value = (value as XmlNode)['#text'];
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

export function textAt(node: unknown, ...path: string[]): string | undefined {
  let value: unknown = node;
  for (const name of path) value = (value as XmlNode | undefined)?.[name];
  if (value && typeof value === 'object' && '#text' in value) value = (value as XmlNode)['#text'];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function timeAt(node: unknown, ...path: string[]): number | undefined {
  const text = textAt(node, ...path);
  const time = text ? Date.parse(text) : NaN;
  return Number.isNaN(time) ? undefined : time;
}
