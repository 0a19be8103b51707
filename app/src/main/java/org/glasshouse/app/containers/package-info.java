/**
 * The containers of this session: the run panel that starts one, the list that follows them, and
 * the view-models that keep each one current from the helper's events.
 */
package org.glasshouse.app.containers;
