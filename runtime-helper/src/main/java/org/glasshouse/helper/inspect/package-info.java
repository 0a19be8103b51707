/**
 * Readers of what the kernel says about processes and containers: /proc (namespaces, mountinfo,
 * status) and cgroupfs. Paths are built from an injectable root so tests point them at fixtures.
 * Parsers are stateless and total: malformed input gives a clean error, a vanished process a clean
 * "gone". What they find crosses the wire as the records of {@code
 * org.glasshouse.protocol.inspect}. A library: it knows nothing of the runtime or the server; the
 * server adapts it.
 */
package org.glasshouse.helper.inspect;
