/** The Inside vs outside tab: the container's facts next to the host's, row by row. */
package org.glasshouse.app.namespaces;
