/** Ledger and fund types taken from the server's response schemas, and money formatting. */
import type { Api } from './api.ts';

export type {
  FundHouseholds,
  FundRound,
  FundSpend,
  HallEmployees,
  HallFinance,
  HallLedger,
  PartnerStatement as Statement,
  PublicFund,
} from '../../src/web-types.ts';

/** Fen as yuan with two decimals: 12345 → "¥123.45". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  return `${sign}¥${(Math.abs(fen) / 100).toFixed(2)}`;
}

/** Download an authorised CSV from the API as a file. */
export async function downloadCsv(api: Api, path: string, filename: string): Promise<void> {
  const res = await api.send('GET', path, undefined, undefined);
  if (!res.ok) throw new Error(`${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}
