import { XMLParser } from 'fast-xml-parser';
import { TrackFormatError } from './track-format-error';

const REPEATED = new Set(['trk', 'trkseg', 'trkpt', 'Activity', 'Lap', 'Track', 'Trackpoint']);

/**
 * Limits no real GPX or TCX file comes near. A text or attribute longer than this is refused before
 * anything is done with it (an over-long value is how parsers are made to spend seconds per file).
 */
export const XML_LIMITS = {
  /** Characters in one text node or attribute value (descriptions of a few paragraphs fit). */
  maxValueChars: 10_000,
  /** Elements inside each other: GPX and TCX need fewer than 12. */
  maxDepth: 32,
  /** Characters kept of the names and labels we store (a run's title, the device). */
  maxLabelChars: 200,
} as const;

/** A number needs no more characters than this ("-12345.678901234567e-10"). */
const MAX_NUMBER_CHARS = 40;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function capped(kind: string) {
  return (name: string, value: string) => {
    if (value.length > XML_LIMITS.maxValueChars) {
      throw new TrackFormatError(
        `refused: the ${kind} ${name} holds ${value.length.toLocaleString('en')} characters, more than the ${XML_LIMITS.maxValueChars.toLocaleString('en')} an activity file has`,
      );
    }
    return value;
  };
}

/**
 * Namespace prefixes dropped (gpxtpx:hr → hr), attributes kept without prefix, repeated elements
 * always arrays. Every value stays a string (`parseTagValue: false`): the few fields we read are
 * converted by numberAt / textAt, and the parser never guesses at numbers in long texts.
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  maxNestedTags: XML_LIMITS.maxDepth,
  tagValueProcessor: capped('element'),
  attributeValueProcessor: capped('attribute'),
  isArray: (name) => REPEATED.has(name),
});

export type XmlNode = Record<string, unknown>;

/** Parses GPX / TCX text; anything the parser refuses becomes the file's rejection reason (TrackFormatError). */
export function parseXml(text: string): XmlNode {
  // GPX and TCX never declare a DOCTYPE; entity declarations are only ever an attack (XXE, entity expansion).
  if (/<!DOCTYPE/i.test(text)) {
    throw new TrackFormatError('refused: the file declares a DOCTYPE (entities), which GPX and TCX files never do');
  }
  try {
    // Some exporters (Strava's TCX among them) put blank space before the XML declaration.
    return parser.parse(text.trimStart()) as XmlNode;
  } catch (error) {
    if (error instanceof TrackFormatError) throw error;
    throw new TrackFormatError(`not valid XML: ${describeParserError(error)}`);
  }
}

function describeParserError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/nested tags/i.test(message) || error instanceof RangeError) {
    return `elements are nested more than ${XML_LIMITS.maxDepth} deep`;
  }
  return message.slice(0, 200);
}

export function child(node: unknown, name: string): XmlNode | undefined {
  const value = (node as XmlNode | undefined)?.[name];
  return value && typeof value === 'object' ? (value as XmlNode) : undefined;
}

export function children(node: unknown, name: string): XmlNode[] {
  const value = (node as XmlNode | undefined)?.[name];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function valueAt(node: unknown, path: string[]): string | undefined {
  let value: unknown = node;
  for (const name of path) value = (value as XmlNode | undefined)?.[name];
  if (value && typeof value === 'object' && '#text' in value) value = (value as XmlNode)['#text'];
  return typeof value === 'string' ? value : undefined;
}

/** A decimal number written in the file (plain or with an exponent); anything else is undefined. */
export function numberAt(node: unknown, ...path: string[]): number | undefined {
  const text = valueAt(node, path)?.trim();
  if (!text || text.length > MAX_NUMBER_CHARS || !DECIMAL.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/** A label (name, sport, device), trimmed and cut to XML_LIMITS.maxLabelChars; undefined when empty. */
export function textAt(node: unknown, ...path: string[]): string | undefined {
  const text = valueAt(node, path)?.trim();
  return text ? text.slice(0, XML_LIMITS.maxLabelChars) : undefined;
}

export function timeAt(node: unknown, ...path: string[]): number | undefined {
  const text = valueAt(node, path)?.trim();
  if (!text || text.length > MAX_NUMBER_CHARS) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}
