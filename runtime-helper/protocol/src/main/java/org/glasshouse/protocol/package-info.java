/**
 * Glasshouse wire protocol: messages and the JSON-lines codec shared by the helper and its clients.
 * Depends only on the JDK and Jackson.
 */
package org.glasshouse.protocol;
