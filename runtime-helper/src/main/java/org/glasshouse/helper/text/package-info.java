/**
 * Text the helper and the CLI show people: container-controlled strings (names, commands, paths,
 * process names) made safe for a terminal and for a log. Depends on nothing but the JDK.
 */
package org.glasshouse.helper.text;
