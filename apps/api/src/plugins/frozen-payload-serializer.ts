import { serializerCompiler } from 'fastify-type-provider-zod';

type SerializerCompiler = typeof serializerCompiler;

/**
 * The zod response serializer, remembering the JSON of frozen payloads: an answer that cannot
 * change, such as a cached profile (`getProfile` deep-freezes what it caches), is validated and
 * stringified once per route instead of on every request. Other payloads are serialized as
 * usual. Producers must freeze deeply: only the top level is checked here.
 */
export const frozenPayloadSerializerCompiler: SerializerCompiler = (routeSchema) => {
  const serialize = serializerCompiler(routeSchema);
  const serialized = new WeakMap<object, string>();
  return (data: unknown) => {
    if (typeof data !== 'object' || data === null || !Object.isFrozen(data)) return serialize(data);
    let json = serialized.get(data);
    if (json === undefined) {
      json = serialize(data);
      serialized.set(data, json);
    }
    return json;
  };
};
