/**
 * Which tables and indexes a commit writes, read off the SQLite write-ahead log while the
 * node runs (the `--cpu-prof` window of `bench cycle`). A commit's cost on SQLite is mostly
 * its WAL frames: one 4 KiB page image per b-tree page it changed, two `pwrite`s each. The
 * sampler reads the frame headers the node appended since its last look (the page number,
 * and whether the frame ends a commit), and at the end names each page's b-tree with the
 * `dbstat` table. A checkpoint that restarts the log between two looks loses the frames
 * written before it; the result is a sample, and says how many commits it saw.
 *
 * WAL format: https://www.sqlite.org/fileformat2.html#walformat (32-byte header, then
 * frames of a 24-byte header and one page).
 */
import fs from 'node:fs';
import SQLite from 'better-sqlite3';

export interface WalSample {
  commits: number;
  frames: number;
  framesPerCommit: number;
  /** Frames per commit by the b-tree each page belongs to, dearest first. */
  byBtree: { name: string; framesPerCommit: number }[];
}

export class WalFrameSampler {
  private salt = -1;
  private next = 0; // index of the next frame to read in the current log
  private pages: number[] = []; // pages written, across all commits seen
  private commits = 0;
  private timer: NodeJS.Timeout;

  constructor(
    private readonly dbFile: string,
    everyMs = 100,
  ) {
    this.timer = setInterval(() => this.look(), everyMs);
    this.timer.unref();
  }

  private look(): void {
    let fd: number;
    try {
      fd = fs.openSync(`${this.dbFile}-wal`, 'r');
    } catch {
      return;
    }
    try {
      const head = Buffer.alloc(32);
      if (fs.readSync(fd, head, 0, 32, 0) < 32) return;
      const pageSize = head.readUInt32BE(8);
      const salt1 = head.readUInt32BE(16);
      if (salt1 !== this.salt) {
        this.salt = salt1;
        this.next = 0;
      }
      const size = fs.fstatSync(fd).size;
      const frame = Buffer.alloc(24);
      let pending: number[] = [];
      for (let i = this.next; 32 + (i + 1) * (24 + pageSize) <= size; i++) {
        fs.readSync(fd, frame, 0, 24, 32 + i * (24 + pageSize));
        if (frame.readUInt32BE(8) !== salt1) break; // left over from before the last restart
        pending.push(frame.readUInt32BE(0));
        if (frame.readUInt32BE(4) !== 0) {
          // the commit's last frame: the commit is whole
          this.pages.push(...pending);
          this.commits++;
          pending = [];
          this.next = i + 1;
        }
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Stop sampling and name the pages (dbstat reads the whole file: a few seconds on the bench's world). */
  finish(): WalSample {
    clearInterval(this.timer);
    this.look();
    const db = new SQLite(this.dbFile, { readonly: true });
    const owner = new Map<number, string>();
    try {
      for (const r of db.prepare('select name, pageno from dbstat').iterate() as Iterable<{
        name: string;
        pageno: number;
      }>)
        owner.set(r.pageno, r.name);
    } finally {
      db.close();
    }
    const by = new Map<string, number>();
    for (const p of this.pages) {
      const name = owner.get(p) ?? '(free or new page)';
      by.set(name, (by.get(name) ?? 0) + 1);
    }
    const per = (n: number) => Math.round((n / Math.max(1, this.commits)) * 100) / 100;
    return {
      commits: this.commits,
      frames: this.pages.length,
      framesPerCommit: per(this.pages.length),
      byBtree: [...by]
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => ({ name, framesPerCommit: per(n) })),
    };
  }
}
