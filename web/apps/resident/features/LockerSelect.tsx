/** The locker a resident sends from or deposits into, by its address (寄件 and 邻里寄存 alike). */
import { useT } from '../../../shared/i18n.ts';
import type { DirectoryLocker } from '../../../shared/types.ts';

export function LockerSelect(props: {
  lockers: DirectoryLocker[];
  value: string | null;
  onChange: (lockerId: string) => void;
}) {
  const { t } = useT();
  return (
    <select
      aria-label={t('智能柜')}
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.target.value)}
      style={{ width: '100%', fontSize: 16, padding: 8 }}
    >
      {props.lockers.map((l) => (
        <option key={l.id} value={l.id}>
          {l.address}
        </option>
      ))}
    </select>
  );
}
