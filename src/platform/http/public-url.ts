import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

/**
 * The absolute address of a public page, for links printed on receipts and acuses (a link without a
 * host is useless on paper). AMPARO_PUBLIC_URL when it is set. Otherwise the request's Host header,
 * but only a host listed in AMPARO_TRUSTED_HOSTS (by default the loopback names of a local start): a
 * Host header is whatever the client sent, and a proxy or a crafted request must not be able to put
 * another site's address on a document. With neither, the path alone (the person knows the site).
 */
export function publicLink(config: Pick<Config, 'publicUrl' | 'trustedHosts'>, request: Pick<FastifyRequest, 'host' | 'protocol'> | null, path: string): string {
  if (config.publicUrl) return `${config.publicUrl}${path}`;
  const host = request?.host.toLowerCase() ?? '';
  const name = host.replace(/:\d+$/, '');
  if (host && (config.trustedHosts.includes(host) || config.trustedHosts.includes(name))) return `${request!.protocol}://${host}${path}`;
  return path;
}
