/** What the monthly-report API accepts and returns. */
import { type Static, Type } from 'typebox';
import { Id, Obj, Timestamp } from '../../../platform/http/schemas.ts';

export const Month = Type.String({
  pattern: '^20[2-9][0-9]-(0[1-9]|1[0-2])$',
  description: 'A month, YYYY-MM (China Standard Time), 2020 or later',
});

export const CommunityParams = Obj({ communityId: Id });
export const MonthParams = Obj({ communityId: Id, month: Month });

export const ReportMetaView = Obj({
  communityId: Id,
  month: Month,
  trigger: Type.Enum(['schedule', 'demand']),
  generatedAt: Timestamp,
  htmlPath: Type.String({ description: 'GET it for the printable HTML page' }),
  pdfPath: Type.String({ description: 'GET it for the PDF' }),
});
export type ReportMetaView = Static<typeof ReportMetaView>;

export const HtmlPage = Type.String({ description: 'text/html; charset=utf-8' });
