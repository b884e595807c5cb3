// Reads the Open311 XML back into the JSON shape (the Spark convention the spec names), so the XML answers
// are checked against the same JSON Schemas as the JSON ones. Enough XML for the spec's documents: the
// declaration, elements without attributes, text, the five entities. Test-only.

const LISTS = new Set(['services', 'attributes', 'values', 'endpoints', 'formats', 'service_requests', 'errors']);

interface Node {
  name: string;
  children: Node[];
  text: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

function parse(xml: string): Node {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: Node = { name: '#document', children: [], text: '' };
  const stack: Node[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)(\/?)>|([^<]+)/g;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    const top = stack.at(-1)!;
    if (m[4] !== undefined) {
      top.text += unescape(m[4]);
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`mismatched </${m[2]}> in <${top.name}>`);
      stack.pop();
    } else {
      const node: Node = { name: m[2]!, children: [], text: '' };
      top.children.push(node);
      if (!m[3]) stack.push(node);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('not one well-formed root element');
  return root.children[0]!;
}

function toJson(node: Node): unknown {
  if (LISTS.has(node.name)) return node.children.map(toJson);
  if (node.children.length === 0) return node.text.trim() === '' ? null : node.text;
  return Object.fromEntries(node.children.map((c) => [c.name, toJson(c)]));
}

/** The root element's name and its content as JSON. */
export function xmlToJson(xml: string): { root: string; value: unknown } {
  if (!/^<\?xml version="1\.0" encoding="utf-8"\?>/i.test(xml)) throw new Error('missing XML declaration with UTF-8');
  const root = parse(xml);
  return { root: root.name, value: toJson(root) };
}
