/**
 * A client of the helper ({@link org.glasshouse.client.HelperClient}) for the CLI and the app.
 * Depends only on {@code org.glasshouse.protocol}, the JDK and Jackson.
 */
package org.glasshouse.client;
