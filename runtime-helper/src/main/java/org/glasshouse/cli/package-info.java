/**
 * The {@code glasshouse} command line: thin clients of the helper's protocol, plus {@code doctor}
 * and the helper daemon's entry point. Every user error is one line on stderr and a non-zero exit.
 */
package org.glasshouse.cli;
