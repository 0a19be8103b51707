/**
 * The typed inspection results and event bodies of protocol v1 — what the helper answers to {@code
 * inspect}, {@code mounts} and {@code stats} and pushes on the {@code telemetry}, {@code mounts}
 * and {@code namespaces} topics. Plain records with numbers in absolute units (bytes, nanoseconds),
 * serialised by Jackson in record order with null fields left out; unknown fields are ignored when
 * reading, so a client keeps working with a newer helper. The helper's readers ({@code
 * org.glasshouse.helper.inspect}) produce them; clients read them back. {@code INSPECTION.md} next
 * to them is their one description, kept honest by a test. Depends only on the JDK and Jackson.
 */
package org.glasshouse.protocol.inspect;
