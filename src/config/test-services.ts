/**
 * URLs of the external services integration tests run against. CI sets them; on a machine without
 * them those tests skip and say so (DESIGN.md rule 7).
 */
export function testServiceUrls(env: Record<string, string | undefined> = process.env): { pg?: string; redis?: string; nats?: string } {
  return { pg: env.SHOPWISE_TEST_PG_URL || undefined, redis: env.SHOPWISE_TEST_REDIS_URL || undefined, nats: env.SHOPWISE_TEST_NATS_URL || undefined };
}
