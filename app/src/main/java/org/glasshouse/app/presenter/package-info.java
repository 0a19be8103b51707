/** Appearance: light and dark themes, presenter mode, and the window's remembered placement. */
package org.glasshouse.app.presenter;
