/**
 * The touchscreen page (zh-CN, 1080×1920 portrait, works with touch, mouse or a
 * hardware keypad). One static document, vanilla JS, no external assets.
 */
export const SCREEN_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no">
<title>蚁巢智能柜 · 取件</title>
<style>
  :root { --bg:#0f2a24; --panel:#173d34; --key:#f4f7f5; --ink:#0b1f1a; --accent:#ffb800; --ok:#3ddc84; --bad:#ff6b6b; }
  * { box-sizing:border-box; }
  html,body { margin:0; height:100%; background:var(--bg); color:#fff; font-family:"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif; }
  main { display:flex; flex-direction:column; height:100vh; max-width:1080px; margin:0 auto; padding:4vh 5vw; gap:3vh; }
  header { display:flex; justify-content:space-between; align-items:center; font-size:clamp(20px,3.2vh,44px); }
  #net { font-size:.7em; padding:.2em .7em; border-radius:1em; background:var(--panel); }
  #net.off { background:#5a3b00; }
  h1 { margin:0; font-size:clamp(28px,4.6vh,72px); }
  .code { display:grid; grid-template-columns:repeat(8,1fr); gap:1.2vw; }
  .code span { aspect-ratio:3/4; display:flex; align-items:center; justify-content:center; background:var(--panel); border-radius:1.2vh;
    font-size:clamp(28px,5vh,88px); font-variant-numeric:tabular-nums; border:3px solid transparent; }
  .code span.cur { border-color:var(--accent); }
  #msg { min-height:9vh; font-size:clamp(22px,3.4vh,52px); text-align:center; display:flex; align-items:center; justify-content:center; }
  #msg.ok { color:var(--ok); } #msg.bad { color:var(--bad); }
  .pad { display:grid; grid-template-columns:repeat(3,1fr); gap:2vh 3vw; flex:1; }
  button { font:inherit; border:0; border-radius:2vh; background:var(--key); color:var(--ink); font-size:clamp(32px,5.4vh,96px); min-height:10vh; touch-action:manipulation; }
  button:active { transform:scale(.97); }
  button:focus-visible { outline:6px solid var(--accent); outline-offset:4px; }
  button.wide { background:var(--accent); }
  button.ghost { background:var(--panel); color:#fff; font-size:clamp(22px,3.4vh,56px); }
  button:disabled { opacity:.4; }
  footer button { width:100%; min-height:8vh; }
</style>
</head>
<body>
<main>
  <header><h1>输入取件码</h1><span id="net" role="status">连接中…</span></header>
  <div class="code" id="code" aria-label="已输入的取件码" aria-live="polite"></div>
  <div id="msg" role="alert" aria-live="assertive">请输入 8 位取件码</div>
  <div class="pad" id="pad">
    ${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => `<button type="button" data-d="${d}" aria-label="数字 ${d}">${d}</button>`).join('')}
    <button type="button" class="ghost" data-act="clear" aria-label="清空">清空</button>
    <button type="button" data-d="0" aria-label="数字 0">0</button>
    <button type="button" class="ghost" data-act="back" aria-label="删除一位">⌫</button>
    <button type="button" class="wide" data-act="ok" style="grid-column:span 3" aria-label="确认取件">确认取件</button>
  </div>
  <footer><button type="button" class="ghost" id="deposit" aria-label="快递员投递">快递员投递</button></footer>
</main>
<script>
(() => {
  const LEN = 8; let code = ''; let busy = false;
  const DENIED = { wrong_code: '取件码不正确', throttled: '尝试过多，请稍后再试', no_free_compartment: '暂无空闲格口', not_allowed: '无法办理' };
  const codeEl = document.getElementById('code'), msg = document.getElementById('msg'), net = document.getElementById('net');
  const say = (text, cls) => { msg.textContent = text; msg.className = cls || ''; };
  const draw = () => { codeEl.innerHTML = ''; for (let i = 0; i < LEN; i++) { const s = document.createElement('span');
    s.textContent = code[i] ? '•' : ''; if (i === code.length) s.className = 'cur'; codeEl.appendChild(s); } };
  const post = (path, body) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) }).then(r => r.json());
  const mmss = (n) => n >= 60 ? Math.floor(n / 60) + ' 分 ' + (n % 60) + ' 秒' : n + ' 秒';
  const wrong = (r) => '取件码不正确' + (r.attemptsLeft !== undefined ? '，还可尝试 ' + r.attemptsLeft + ' 次' : '') + (r.retryAfterSeconds ? '，请 ' + mmss(r.retryAfterSeconds) + '后再输' : '');
  const locked = (r) => (r.keypad === 'slowed' ? '请 ' + mmss(r.retryAfterSeconds) + '后再输入取件码' : '错误次数过多，键盘锁定 ' + mmss(r.retryAfterSeconds) + '；App 远程开柜不受影响');
  const shown = (r) => {
    switch (r.result || r.state) {
      case 'opened': return ['请取件：' + r.compartment + ' 号格口已打开，取完请关门', 'ok'];
      case 'already_open': return [r.compartment + ' 号格口门未关，请直接取件', 'ok'];
      case 'door_jammed': return [r.compartment + ' 号格口门未弹开，请轻拉柜门或联系服务馆', 'bad'];
      case 'unknown_outcome': return [r.compartment + ' 号格口状态未知，请查看柜门', 'bad'];
      case 'wrong_code': return [wrong(r), 'bad'];
      case 'locked': return [locked(r), 'bad'];
      case 'invalid': return ['请输入完整的 8 位数字', 'bad'];
      case 'unavailable': return ['暂时无法服务，请稍后再试或联系服务馆', 'bad'];
      case 'denied': return [r.outcome === 'wrong_code' ? (r.keypad === 'locked' ? locked(r) : wrong(r)) : DENIED[r.outcome] || '无法办理', 'bad'];
      case 'expired': return ['网络繁忙，请重试', 'bad'];
      default: return ['请稍候…', ''];
    }
  };
  const follow = async (id) => {
    const until = Date.now() + 20000;
    while (Date.now() < until) {
      await new Promise(r => setTimeout(r, 400));
      const r = await fetch('/api/requests/' + id).then(x => x.ok ? x.json() : { state: 'expired' }).catch(() => ({ state: 'pending' }));
      if (r.state !== 'pending') return r;
    }
    return { state: 'expired' };
  };
  const handle = async (reply) => {
    if (reply.result === 'sent') { say('正在确认，请稍候…'); reply = await follow(reply.requestId); }
    const [text, cls] = shown(reply); say(text, cls);
  };
  const submit = async () => {
    if (busy) return; if (code.length !== LEN) { say('请输入完整的 8 位数字', 'bad'); return; }
    busy = true; say('正在验证，请稍候…');
    try { await handle(await post('/api/code', { code })); } catch { say('暂时无法服务，请稍后再试', 'bad'); }
    code = ''; draw(); busy = false;
  };
  const press = (d) => { if (!busy && code.length < LEN) { code += d; draw(); } };
  document.getElementById('pad').addEventListener('click', (e) => {
    const b = e.target.closest('button'); if (!b) return;
    if (b.dataset.d !== undefined) press(b.dataset.d);
    else if (b.dataset.act === 'back') { code = code.slice(0, -1); draw(); }
    else if (b.dataset.act === 'clear') { code = ''; draw(); say('请输入 8 位取件码'); }
    else if (b.dataset.act === 'ok') submit();
  });
  document.addEventListener('keydown', (e) => {
    if (/^[0-9]$/.test(e.key)) press(e.key);
    else if (e.key === 'Backspace') { code = code.slice(0, -1); draw(); }
    else if (e.key === 'Enter') submit();
  });
  // This fallback page has no deposit form (the kiosk app has, ADR 0018): couriers deposit from their app.
  document.getElementById('deposit').addEventListener('click', () => say('快递员请在“蚁巢快递员”App 中选择本柜投递', ''));
  const status = () => fetch('/api/status').then(r => r.json()).then(s => {
    net.textContent = (s.place ? s.place + ' · ' : '') + (s.online ? '在线' : '离线（可用取件码取件）'); net.className = s.online ? '' : 'off';
  }).catch(() => { net.textContent = '离线'; net.className = 'off'; });
  draw(); status(); setInterval(status, 5000);
})();
</script>
</body>
</html>
`;
