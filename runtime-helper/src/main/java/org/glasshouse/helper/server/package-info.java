/**
 * The helper's Unix-socket server: peer authentication with SO_PEERCRED, one reader and one writer
 * thread per connection with a bounded outbox, the op table ({@link
 * org.glasshouse.helper.server.OpHandler}), the event hub, the validation of every request, and the
 * adapter that serves the inspection library's readings ({@link
 * org.glasshouse.helper.server.InspectionOps}). The wire protocol is documented in {@code
 * org/glasshouse/protocol/PROTOCOL.md}.
 */
package org.glasshouse.helper.server;
