/**
 * The fourteen levels: their guides, their experiments, the checks of the student's own container,
 * and the progress kept between sessions.
 */
package org.glasshouse.app.levels;
