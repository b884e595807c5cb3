import { describe, expect, it } from 'vitest';
import { toXml } from './open311-xml.js';
import { xmlToJson } from './test-xml.js';

describe('Open311 XML', () => {
  it('names list items as the spec does, escapes text and reads back to the same JSON', () => {
    const services = [{ service_code: 'A&B', service_name: '<路灯>', metadata: false, description: null, keywords: 'x', group: 'y', type: 'realtime' }];
    const doc = toXml('services', services);
    expect(doc).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<services><service><service_code>A&amp;B</service_code><service_name>&lt;路灯&gt;</service_name><metadata>false</metadata><description/><keywords>x</keywords><group>y</group><type>realtime</type></service></services>',
    );
    expect(xmlToJson(doc)).toEqual({ root: 'services', value: [{ ...services[0], metadata: 'false' }] });
    expect(xmlToJson(toXml('errors', [{ code: 403, description: 'Invalid api_key' }])).value).toEqual([{ code: '403', description: 'Invalid api_key' }]);
  });
});
