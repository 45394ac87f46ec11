/**
 * Hand-off of a request to an outside institution (property company, police station,
 * utility, a district bureau, the 12345 city hotline). The port takes what the institution
 * needs to act — never the resident's phone — and returns its reference.
 *
 * Local adapter (the default): records the hand-off in need_handoffs with a local reference
 * and leaves the community office to relay by phone or paper, as offices do today.
 *
 * Seam for the 12345 hotline: a `Hotline12345Gateway` implementing InstitutionGateway would
 * POST the case to the city's 接诉即办 work-order interface and return its 工单号; the city's
 * status callbacks would come back through a route that calls the lifecycle's reply().
 * Choose it in buildApp (see docs/needs.md).
 */
import type { Party } from './need.table.ts';

/** What an institution is told about a case. */
export interface HandoffCase {
  needId: string;
  party: Party;
  serviceCode: string;
  serviceName: string;
  description: string;
  /** Where, in words (community, compound, building, unit or address). */
  place: string;
  dueAt: string;
}

/** The port. */
export interface InstitutionGateway {
  /** Name stored with each hand-off. */
  readonly name: string;
  /** Hand the case over; resolves to the institution's reference. */
  handOff(c: HandoffCase): Promise<{ externalRef: string }>;
}

/** The local adapter: nothing leaves the system; the reference says so. */
export class LocalInstitutionGateway implements InstitutionGateway {
  readonly name = 'local';
  async handOff(c: HandoffCase): Promise<{ externalRef: string }> {
    return { externalRef: `LOCAL-${c.party}-${c.needId.slice(-12)}` };
  }
}

/** Parties outside the community's own staff: their requests are handed off. */
export const OUTSIDE_PARTIES: readonly Party[] = ['property', 'police', 'utilities', 'institution'];
