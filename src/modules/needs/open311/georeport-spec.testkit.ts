/**
 * JSON Schemas of Open311 GeoReport v2 responses, written from the specification
 * (http://wiki.open311.org/GeoReport_v2) for the contract tests, independent of our code:
 * field names, types and enums as the spec defines them. Nullable where the spec says a
 * field may be empty.
 */
const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const w3c = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
} as const;
const nw3c = { anyOf: [w3c, { type: 'null' }] } as const;
const nnum = { type: ['number', 'null'] } as const;

export const discoverySchema = {
  type: 'object',
  required: ['changeset', 'contact', 'key_service', 'endpoints'],
  additionalProperties: false,
  properties: {
    changeset: w3c,
    contact: str,
    key_service: str,
    endpoints: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['specification', 'url', 'changeset', 'type', 'formats'],
        additionalProperties: false,
        properties: {
          specification: { const: 'http://wiki.open311.org/GeoReport_v2' },
          url: { type: 'string', pattern: '^https?://' },
          changeset: w3c,
          type: { enum: ['production', 'test'] },
          formats: { type: 'array', items: { enum: ['text/xml', 'application/json'] } },
        },
      },
    },
  },
} as const;

export const servicesSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: [
      'service_code',
      'service_name',
      'description',
      'metadata',
      'type',
      'keywords',
      'group',
    ],
    additionalProperties: false,
    properties: {
      service_code: str,
      service_name: str,
      description: str,
      metadata: { type: 'boolean' },
      type: { enum: ['realtime', 'batch', 'blackbox'] },
      keywords: str,
      group: str,
    },
  },
} as const;

export const serviceDefinitionSchema = {
  type: 'object',
  required: ['service_code', 'attributes'],
  additionalProperties: false,
  properties: {
    service_code: str,
    attributes: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'variable',
          'code',
          'datatype',
          'required',
          'datatype_description',
          'order',
          'description',
        ],
        additionalProperties: false,
        properties: {
          variable: { type: 'boolean' },
          code: str,
          datatype: {
            enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'],
          },
          required: { type: 'boolean' },
          datatype_description: nstr,
          order: { type: 'integer', minimum: 1 },
          description: str,
          values: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'name'],
              additionalProperties: false,
              properties: { key: str, name: str },
            },
          },
        },
      },
    },
  },
} as const;

export const postResponseSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 1,
  items: {
    type: 'object',
    anyOf: [{ required: ['service_request_id'] }, { required: ['token'] }],
    additionalProperties: false,
    properties: {
      service_request_id: str,
      token: str,
      service_notice: nstr,
      account_id: nstr,
    },
  },
} as const;

export const requestsSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
    additionalProperties: false,
    properties: {
      service_request_id: str,
      status: { enum: ['open', 'closed'] },
      status_notes: nstr,
      service_name: nstr,
      service_code: str,
      description: nstr,
      agency_responsible: nstr,
      service_notice: nstr,
      requested_datetime: w3c,
      updated_datetime: nw3c,
      expected_datetime: nw3c,
      address: nstr,
      address_id: nstr,
      zipcode: nstr,
      lat: nnum,
      long: nnum,
      media_url: nstr,
    },
  },
} as const;

export const tokenSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['token'],
    additionalProperties: false,
    properties: { service_request_id: nstr, token: str },
  },
} as const;

export const errorsSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['code', 'description'],
    additionalProperties: false,
    properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } },
  },
} as const;

/** Element names the spec gives each XML document: root, then its item element. */
export const XML_NAMES = {
  discovery: ['discovery', 'endpoints', 'endpoint', 'formats', 'format'],
  services: ['services', 'service'],
  definition: ['service_definition', 'attributes', 'attribute', 'values', 'value'],
  requests: ['service_requests', 'request'],
  errors: ['errors', 'error'],
} as const;
