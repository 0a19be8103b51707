/**
 * The Step log tab: every start step of the selected container in order, with its arguments, result
 * or errno, and duration.
 */
package org.glasshouse.app.timeline;
