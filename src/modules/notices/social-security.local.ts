/** The local social-security provider: answers from demo records in our own database (the default until a real provider is configured). */
import type { Executor } from '../../db/database.ts';
import { findRecord } from './social-security.repository.ts';
import type {
  InsuredPerson,
  SocialSecurityProvider,
  SocialSecurityStatement,
} from './social-security.port.ts';

export class LocalSocialSecurity implements SocialSecurityProvider {
  readonly source = 'local-demo';
  constructor(private readonly db: Executor) {}

  async statementFor(person: InsuredPerson): Promise<SocialSecurityStatement | null> {
    const r = await findRecord(this.db, person.phoneHash);
    if (!r) return null;
    return {
      insuredName: r.insured_name,
      insuredPlace: r.insured_place,
      pension: {
        status: r.pension_status,
        months: r.pension_months,
        balanceFen: r.pension_balance_fen,
      },
      medical: { status: r.medical_status, balanceFen: r.medical_balance_fen },
      lastPaidMonth: r.last_paid_month,
      updatedAt: r.updated_at,
    };
  }
}
