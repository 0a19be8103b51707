/** The Mounts tab: the selected container's mount tree beside the host's, marked by their diff. */
package org.glasshouse.app.mounts;
