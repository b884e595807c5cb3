// JSON Schemas (draft-07) of the Open311 GeoReport v2 responses, written from the spec
// (wiki.open311.org/GeoReport_v2 and /Service_Discovery). Field names, required fields and value sets are
// the spec's; "May not be returned" fields are optional and nullable. The tests check every JSON response,
// and every XML response mapped to JSON (Spark convention), against these.

const text = { type: ['string', 'null'] } as const;
/** The spec's examples show ids as numbers and strings; both are valid. */
const id = { type: ['string', 'number'] } as const;
const w3c = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$' } as const;

export const discoverySchema = {
  $id: 'open311/discovery',
  type: 'object',
  required: ['changeset', 'contact', 'key_service', 'endpoints'],
  properties: {
    changeset: { type: 'string' },
    contact: { type: 'string' },
    key_service: { type: 'string' },
    endpoints: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['specification', 'url', 'changeset', 'type', 'formats'],
        properties: {
          specification: { type: 'string' },
          url: { type: 'string' },
          changeset: { type: 'string' },
          type: { enum: ['production', 'test'] },
          formats: { type: 'array', minItems: 1, items: { type: 'string' } },
        },
      },
    },
  },
} as const;

export const servicesSchema = {
  $id: 'open311/services',
  type: 'array',
  items: {
    type: 'object',
    required: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
    properties: {
      service_code: id,
      service_name: { type: 'string' },
      description: text,
      metadata: { type: 'boolean' },
      type: { enum: ['realtime', 'batch', 'blackbox'] },
      keywords: text,
      group: text,
    },
  },
} as const;

export const serviceDefinitionSchema = {
  $id: 'open311/service-definition',
  type: 'object',
  required: ['service_code', 'attributes'],
  properties: {
    service_code: id,
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description'],
        properties: {
          variable: { type: 'boolean' },
          code: id,
          datatype: { enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
          required: { type: 'boolean' },
          datatype_description: text,
          order: { type: 'integer', minimum: 1 },
          description: { type: 'string' },
          values: {
            type: 'array',
            items: { type: 'object', required: ['key', 'name'], properties: { key: id, name: { type: 'string' } } },
          },
        },
      },
    },
  },
} as const;

/** POST Service Request: service_request_id or token, never both. */
export const postResponseSchema = {
  $id: 'open311/post-response',
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    properties: { service_request_id: id, token: id, service_notice: text, account_id: text },
    oneOf: [
      { required: ['service_request_id'], not: { required: ['token'] } },
      { required: ['token'], not: { required: ['service_request_id'] } },
    ],
  },
} as const;

export const tokensSchema = {
  $id: 'open311/tokens',
  type: 'array',
  items: { type: 'object', required: ['service_request_id', 'token'], properties: { service_request_id: id, token: id } },
} as const;

export const requestsSchema = {
  $id: 'open311/requests',
  type: 'array',
  items: {
    type: 'object',
    required: ['service_request_id', 'status', 'service_name', 'service_code', 'requested_datetime', 'updated_datetime'],
    properties: {
      service_request_id: id,
      status: { enum: ['open', 'closed'] },
      status_notes: text,
      service_name: { type: 'string' },
      service_code: id,
      description: text,
      agency_responsible: text,
      service_notice: text,
      requested_datetime: w3c,
      updated_datetime: w3c,
      expected_datetime: { anyOf: [w3c, { type: 'null' }] },
      address: text,
      address_id: { type: ['string', 'number', 'null'] },
      zipcode: { type: ['string', 'number', 'null'] },
      lat: { type: ['number', 'null'], minimum: -90, maximum: 90 },
      long: { type: ['number', 'null'], minimum: -180, maximum: 180 },
      media_url: text,
    },
  },
} as const;

/** Errors: an array of {code, description}; the code usually matches the HTTP status. */
export const errorsSchema = {
  $id: 'open311/errors',
  type: 'array',
  minItems: 1,
  items: { type: 'object', required: ['code', 'description'], properties: { code: { type: ['integer', 'string'] }, description: { type: 'string' } } },
} as const;
