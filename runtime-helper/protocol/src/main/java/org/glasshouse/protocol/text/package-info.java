/**
 * How the protocol's quantities read to people, the same on every side of it: the app's panes, the
 * CLI's tables and the helper's messages format bytes here, from the absolute numbers the protocol
 * carries. Depends on nothing but the JDK.
 */
package org.glasshouse.protocol.text;
