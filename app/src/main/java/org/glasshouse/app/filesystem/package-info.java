/**
 * The Filesystem tab: the selected container's overlay layers and its upper dir's changes, live.
 */
package org.glasshouse.app.filesystem;
