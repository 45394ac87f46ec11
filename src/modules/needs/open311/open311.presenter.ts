/**
 * GeoReport v2 shapes (http://wiki.open311.org/GeoReport_v2). Public request lists carry
 * no personal data: requests filed in the app, at the desk or at the kiosk show only their
 * community, type, status and times; their description and answer stay private. Requests
 * filed through Open311 echo what their client published (description, address, lat/long).
 */
import { SHANGHAI_OFFSET_MS } from '../../../platform/clock.ts';
import type { Service } from '../catalogue.service.ts';
import type { NeedRow, Party } from '../need.types.ts';

const PARTY_ZH: Record<Party, string> = {
  community_office: '社区办公室',
  grid_worker: '社区网格员',
  property: '物业服务企业',
  police: '社区警务室',
  utilities: '水电气公用事业单位',
  institution: '相关职能部门',
};

const STATUS_NOTE: Record<string, string> = {
  received: '已受理，待派单',
  dispatched: '已派单',
  in_progress: '处理中',
  reopened: '已重新打开，处理中',
  replied: '已答复',
  closed: '已办结',
  declined: '不予受理',
};

/** W3C datetime in Asia/Shanghai (+08:00), as the spec's examples show local offsets. */
export function w3c(isoUtc: string): string {
  const ms = Date.parse(isoUtc) + SHANGHAI_OFFSET_MS;
  return `${new Date(ms).toISOString().slice(0, 19)}+08:00`;
}

/** One service in the services list. */
export function presentService(s: Service) {
  return {
    service_code: s.code,
    service_name: s.name,
    description: s.description,
    metadata: s.attributes.length > 0,
    type: 'realtime',
    keywords: s.keywords.split(/\s+/).filter(Boolean).join(','),
    group: s.group,
  };
}

/** A service definition (its attributes). */
export function presentDefinition(s: Service) {
  return {
    service_code: s.code,
    attributes: s.attributes.map((a, i) => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.required,
      datatype_description: a.values?.length ? null : a.datatype === 'number' ? '数字' : '文字',
      order: i + 1,
      description: a.description,
      ...(a.values?.length ? { values: a.values.map((v) => ({ key: v.key, name: v.name })) } : {}),
    })),
  };
}

/** A request in a public list. */
export function presentRequest(n: NeedRow, serviceName: string, communityName: string) {
  const own = n.channel === 'open311';
  const open = ['received', 'dispatched', 'in_progress', 'reopened'].includes(n.status);
  return {
    service_request_id: n.id,
    status: open ? 'open' : 'closed',
    status_notes: own && n.reply ? n.reply : STATUS_NOTE[n.status]!,
    service_name: serviceName,
    service_code: n.service_code,
    description: own ? n.description : null,
    agency_responsible: `${communityName} ${PARTY_ZH[n.party]}`,
    service_notice: null,
    requested_datetime: w3c(n.received_at),
    updated_datetime: w3c(n.updated_at),
    expected_datetime: w3c(n.due_at),
    address: own && n.address ? n.address : communityName,
    address_id: null,
    zipcode: null,
    lat: own ? n.lat : null,
    long: own ? n.long : null,
    media_url: null,
  };
}
