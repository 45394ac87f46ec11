/** The receipt files of a fund payment, as thumbnails (images) or links (PDF); public, no login. */
import { useT } from './i18n.ts';
import type { PublicFund } from './ledger.ts';

type File = PublicFund['projects'][number]['payments'][number]['files'][number];

/** The files of one payment, or nothing when it has none. */
export function ReceiptFiles({ files }: { files: readonly File[] }) {
  const { t } = useT();
  if (files.length === 0) return null;
  return (
    <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 6 }}>
      {files.map((f) => (
        <a
          key={f.receiptId}
          href={f.url}
          target="_blank"
          rel="noreferrer"
          data-testid="receipt-file"
          title={t('凭证文件')}
        >
          {f.contentType === 'application/pdf' ? (
            <span style={{ border: '1px solid #ccc', borderRadius: 6, padding: '2px 8px' }}>
              {t('PDF 凭证')}
            </span>
          ) : (
            <img
              src={f.url}
              alt={t('图片凭证')}
              style={{ height: 56, borderRadius: 6, border: '1px solid #eee' }}
            />
          )}
        </a>
      ))}
    </div>
  );
}
