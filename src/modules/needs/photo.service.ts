/**
 * Photos of requests. Bytes live in the database (need_photos.data), so every API node
 * serves them without a shared disk; a size cap keeps the table small (ADR 0024). The type
 * is decided by the file's first bytes, not the client's word.
 */
import { createHash } from 'node:crypto';
import type { Grant } from '../../platform/auth/access.ts';
import { covers } from '../../platform/auth/access.ts';
import { iso, newId } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { sniffFile } from '../../platform/http/file-type.ts';
import * as repo from './need.repository.ts';
import { pathOfNeed } from './need.scope.ts';
import * as photos from './photo.repository.ts';

/** Largest photo accepted (bytes). Phones shrink pictures before upload; 2 MB is a clear one. */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Photos one person may upload per day (a request takes at most 4). */
export const MAX_PHOTOS_PER_DAY = 40;

/** The image type of some bytes by their signature, or null (a PDF is no photo). */
export function sniffImage(b: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  const type = sniffFile(b);
  return type === 'application/pdf' ? null : type;
}

/** Store an uploaded photo for the uploader's next request. */
export async function uploadPhoto(deps: AppDeps, ownerId: string, body: Buffer) {
  if (body.length === 0) throw new AppError('bad_request', '照片是空的。The photo is empty.');
  if (body.length > MAX_PHOTO_BYTES)
    throw new AppError(
      'payload_too_large',
      `照片不能超过 2 MB。The photo is larger than ${MAX_PHOTO_BYTES} bytes.`,
    );
  const type = sniffImage(body);
  if (!type)
    throw new AppError(
      'unsupported_media_type',
      '只支持 JPEG、PNG、WebP 照片。Only JPEG, PNG or WebP photos are accepted.',
    );
  const now = deps.clock.now();
  if ((await photos.uploadsSince(deps.db, ownerId, iso(now - 86_400_000))) >= MAX_PHOTOS_PER_DAY)
    throw new AppError(
      'rate_limited',
      `今天上传的照片太多了。At most ${MAX_PHOTOS_PER_DAY} photos a day.`,
      { retryAfter: 3600 },
    );
  const row = {
    id: newId(deps.clock, deps.random),
    need_id: null,
    owner_id: ownerId,
    content_type: type,
    size: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    data: body,
    created_at: iso(now),
  };
  await photos.insertPhoto(deps.db, row);
  return { id: row.id, size: row.size, contentType: type };
}

/** A photo's bytes for a caller who may see it: its uploader, the request's resident, or staff covering the request. */
export async function readPhoto(
  deps: AppDeps,
  photoId: string,
  userId: string,
  grants: readonly Grant[],
) {
  const p = await photos.findPhoto(deps.db, photoId);
  if (!p) throw notFound('That photo');
  if (p.owner_id === userId) return p;
  const n = p.need_id ? await repo.findNeed(deps.db, p.need_id) : undefined;
  if (!n) throw notFound('That photo');
  if (n.requester_id === userId || n.assignee_id === userId) return p;
  const path = await pathOfNeed(deps.db, n);
  const staff = grants.filter(
    (g) => g.role !== 'resident' && g.role !== 'courier' && g.role !== 'partner',
  );
  if (path && staff.some((g) => covers(g, path))) return p;
  throw notFound('That photo');
}
