/**
 * The helper's Unix-socket server: peer authentication with SO_PEERCRED, one reader and one writer
 * thread per connection with a bounded outbox, the op table ({@link
 * org.glasshouse.helper.server.OpHandler}), the event hub, and the validation of every request. The
 * wire protocol is documented in {@code org/glasshouse/protocol/PROTOCOL.md}.
 */
package org.glasshouse.helper.server;
