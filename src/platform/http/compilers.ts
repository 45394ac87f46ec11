/**
 * Route schema compilers shared by every Fastify instance in the process. Compiling ~200
 * routes' TypeBox validators and response serializers is most of what `app.ready()` costs;
 * the schemas are module constants, so an app built again in the same process (tests build
 * hundreds; a restarted node in the fault suites, several) reuses the compiled functions.
 * Keyed by the schema object itself (and the request part or status), never by URL.
 */
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type ValidatorArgs = Parameters<typeof TypeBoxValidatorCompiler>[0];
const validators = new WeakMap<object, Map<string, ReturnType<typeof TypeBoxValidatorCompiler>>>();

/** TypeBox's compiler, remembered per schema object and request part. */
export function cachedValidatorCompiler(
  args: ValidatorArgs,
): ReturnType<typeof TypeBoxValidatorCompiler> {
  const schema = args.schema as object;
  let byPart = validators.get(schema);
  if (!byPart) validators.set(schema, (byPart = new Map()));
  const part = String(args.httpPart ?? '');
  let fn = byPart.get(part);
  if (!fn) byPart.set(part, (fn = TypeBoxValidatorCompiler(args)));
  return fn;
}

type Serialize = (doc: unknown) => string;
const serializers = new WeakMap<object, Serialize>();

/** Fastify's default serializer factory (fast-json-stringify), remembered per schema object. */
export const serializerFactory: NonNullable<
  NonNullable<
    NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
  >['buildSerializer']
> = (externalSchemas, serializerOpts) => {
  const compile = SerializerSelector()(externalSchemas, serializerOpts);
  const hasExternal = externalSchemas && Object.keys(externalSchemas).length > 0;
  return (args) => {
    if (hasExternal) return compile(args);
    const schema = args.schema as object;
    let fn = serializers.get(schema);
    if (!fn) serializers.set(schema, (fn = compile(args) as Serialize));
    return fn;
  };
};
