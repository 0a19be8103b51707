/**
 * Everything the helper knows about cgroups, used by both the runtime and inspection: the host's
 * {@link org.glasshouse.helper.cgroups.CgroupLayout} (v1, hybrid or v2, where each hierarchy is
 * mounted), and v1 (and hybrid) and v2 behind one {@link
 * org.glasshouse.helper.cgroups.CgroupDriver}: a cgroup per container under a parent, its limits,
 * its processes, its teardown. Every mkdir, write and rmdir is a helper step in the container's
 * step log.
 */
package org.glasshouse.helper.cgroups;
