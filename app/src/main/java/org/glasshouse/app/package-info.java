/** The Glasshouse JavaFX lab. */
package org.glasshouse.app;
