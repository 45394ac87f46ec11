/**
 * The pickup keypad's parts: the boxes of the code typed so far, the banner while a run of
 * wrong codes holds the keypad, and the big keys (digits, clear, delete, confirm).
 */
import { Button } from 'antd-mobile';
import { useT } from '../../shared/i18n.ts';
import type { KeypadHold } from './useScreenStatus.ts';

/** Digits in a pickup code. */
export const CODE_LENGTH = 8;
/** The headline and code-box size. */
export const BIG = 'clamp(28px, 5vh, 88px)';

/** One box per digit, a dot for each typed one, the next one outlined. */
export function CodeBoxes({ code }: { code: string }) {
  const { t } = useT();
  return (
    <div
      aria-label={t('已输入的取件码')}
      data-testid="code-boxes"
      style={{ display: 'grid', gridTemplateColumns: `repeat(${CODE_LENGTH}, 1fr)`, gap: '1.2vw' }}
    >
      {Array.from({ length: CODE_LENGTH }, (_, i) => (
        <span
          key={i}
          style={{
            height: '8vh',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            background: '#173d34',
            borderRadius: '1.2vh',
            fontSize: BIG,
            border: `3px solid ${i === code.length ? '#ffb800' : 'transparent'}`,
          }}
        >
          {code[i] ? '•' : ''}
        </span>
      ))}
    </div>
  );
}

/** How long the keypad still holds, and that app pickup is not affected. */
export function HeldBanner({ held, wait }: { held: Exclude<KeypadHold, null>; wait: number }) {
  const { t } = useT();
  return (
    <div
      role="status"
      data-testid="keypad-held"
      data-state={held}
      style={{
        background: held === 'locked' ? '#5c1f1f' : '#5c4300',
        borderRadius: '1.2vh',
        padding: '1vh 2vw',
        textAlign: 'center',
        fontSize: 'clamp(18px, 2.6vh, 40px)',
      }}
    >
      {held === 'locked'
        ? t('错误次数过多，键盘已锁定，{{t}}后可再输入', { t: mmss(wait, t) })
        : t('请 {{t}}后再输入取件码', { t: mmss(wait, t) })}
      <div style={{ fontSize: '.75em', opacity: 0.85 }}>
        {t('用蚁巢 App 远程开柜或扫码取件不受影响')}
      </div>
    </div>
  );
}

/** The 3×5 grid of keys: digits, clear, 0, delete, and confirm across the bottom. */
export function KeyGrid(props: {
  disabled: boolean;
  onDigit(d: string): void;
  onClear(): void;
  onDelete(): void;
  onSubmit(): void;
}) {
  const { t } = useT();
  return (
    <div
      style={{
        display: 'grid',
        gridTemplateColumns: 'repeat(3, 1fr)',
        gridTemplateRows: 'repeat(5, minmax(0, 1fr))',
        gap: '1.6vh 3vw',
        flex: 1,
        minHeight: '36vh',
      }}
    >
      {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
        <Key key={d} label={d} aria={t('数字 {{d}}', { d })} onPress={() => props.onDigit(d)} />
      ))}
      <Key label={t('清空')} aria={t('清空')} ghost onPress={props.onClear} />
      <Key label="0" aria={t('数字 {{d}}', { d: '0' })} onPress={() => props.onDigit('0')} />
      <Key label="⌫" aria={t('删除一位')} ghost onPress={props.onDelete} />
      <div style={{ gridColumn: 'span 3' }}>
        <Key
          label={t('确认取件')}
          aria={t('确认取件')}
          accent
          disabled={props.disabled}
          onPress={props.onSubmit}
        />
      </div>
    </div>
  );
}

/** "1 分 05 秒" or "12 秒". */
function mmss(seconds: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  return seconds >= 60
    ? t('{{m}} 分 {{s}} 秒', {
        m: Math.floor(seconds / 60),
        s: String(seconds % 60).padStart(2, '0'),
      })
    : t('{{s}} 秒', { s: seconds });
}

function Key({
  label,
  aria,
  onPress,
  ghost,
  accent,
  disabled,
}: {
  label: string;
  aria: string;
  onPress(): void;
  ghost?: boolean;
  accent?: boolean;
  disabled?: boolean;
}) {
  return (
    <Button
      block
      aria-label={aria}
      disabled={disabled}
      onClick={onPress}
      style={{
        minHeight: 0,
        height: '100%',
        padding: 0,
        lineHeight: 1,
        borderRadius: '2vh',
        fontSize: ghost ? 'clamp(22px,3.4vh,56px)' : 'clamp(28px,4.4vh,96px)',
        '--background-color': accent ? '#ffb800' : ghost ? '#173d34' : '#f4f7f5',
        '--text-color': ghost ? '#fff' : '#0b1f1a',
        '--border-color': 'transparent',
      }}
    >
      {label}
    </Button>
  );
}
