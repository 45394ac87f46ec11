/** A tab that later issues fill (hall, needs): says what is coming instead of an empty page. */
import { NavBar, Result } from 'antd-mobile';

export function Placeholder({ title, text }: { title: string; text: string }) {
  return (
    <>
      <NavBar back={null}>{title}</NavBar>
      <Result status="waiting" title={title} description={text} />
    </>
  );
}
