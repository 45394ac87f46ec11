/**
 * The social-security self-query (社保查询) goes through this port. The query is always
 * about the signed-in person: the route takes no person id, and the service hands the
 * adapter only the identity of the caller's own account.
 *
 * The local adapter (social-security.local.ts) answers from demo records keyed by the
 * keyed hash of the caller's verified phone. A real provider (the city's 人社 / 医保
 * open platform) implements SocialSecurityProvider: it is keyed by the insured person's
 * ID-card number and name after real-name verification (face or bank-card check), signs
 * each request with the platform's app key and returns the statement; it is chosen in
 * buildApp (see docs/notices.md, "The social-security seam", and ADR 0023).
 */

/** The one person a query may be about: the signed-in account's own identity. */
export interface InsuredPerson {
  readonly userId: string;
  /** Keyed hash of the account's verified phone (the local adapter's key). */
  readonly phoneHash: string;
}

/** What the provider answers: the person's own statement, never anyone else's. */
export interface SocialSecurityStatement {
  /** Masked, e.g. 张*姨. */
  insuredName: string;
  /** Where the person is insured (参保地). */
  insuredPlace: string;
  pension: { status: string; months: number; balanceFen: number };
  medical: { status: string; balanceFen: number };
  /** The last month paid, YYYY-MM. */
  lastPaidMonth: string;
  updatedAt: string;
}

export interface SocialSecurityProvider {
  /** A short name shown with the answer (e.g. 'local-demo'). */
  readonly source: string;
  /** The person's statement, or null when the provider holds no record for them. */
  statementFor(person: InsuredPerson): Promise<SocialSecurityStatement | null>;
}
