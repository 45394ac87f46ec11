/** Upload and read request photos: POST the image bytes (Content-Type image/jpeg|png|webp), GET them back. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../../platform/auth/access.ts';
import { STAFF_ROLES } from '../../platform/auth/roles.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { errorResponses } from '../../platform/http/schemas.ts';
import { MAX_PHOTO_BYTES, readPhoto, uploadPhoto } from './photo.service.ts';
import { PhotoCreated, PhotoParams } from './need.schemas.ts';

const security = [{ bearer: [] }];
const tags = ['needs'];

/** Photo routes (their own scope: an image body parser with its own size limit). */
export async function photoRoutes(
  root: FastifyInstance,
  { deps }: { deps: AppDeps },
): Promise<void> {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.addContentTypeParser(
    ['image/jpeg', 'image/png', 'image/webp'],
    { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES + 1 },
    (_req, body, done) => done(null, body),
  );

  app.post('/needs/photos', {
    config: { access: { roles: ['resident', ...STAFF_ROLES] } },
    bodyLimit: MAX_PHOTO_BYTES + 1,
    schema: {
      tags,
      security,
      summary:
        'Upload one photo (JPEG, PNG or WebP, ≤ 2 MB) for a request; attach it by id when filing',
      response: {
        201: PhotoCreated,
        413: errorResponses[400],
        415: errorResponses[400],
        ...errorResponses,
      },
    },
    handler: async (req, reply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      reply.code(201);
      return uploadPhoto(deps, principalOf(req).userId, body);
    },
  });

  app.get('/needs/photos/:photoId', {
    config: { access: { roles: 'any' } },
    schema: { tags, security, summary: 'A photo of a request you may see', params: PhotoParams },
    handler: async (req, reply) => {
      const p = principalOf(req);
      const photo = await readPhoto(deps, req.params.photoId, p.userId, p.grants);
      void reply.header('content-type', photo.content_type);
      void reply.header('cache-control', 'private, max-age=3600');
      void reply.header('x-content-type-options', 'nosniff');
      return reply.send(Buffer.from(photo.data));
    },
  });
}
