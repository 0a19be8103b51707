/**
 * One terminal tab per container, a JediTermFX emulator wired to the container's pty in the helper.
 */
package org.glasshouse.app.terminal;
