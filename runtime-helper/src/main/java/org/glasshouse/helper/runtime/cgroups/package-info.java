/**
 * cgroups v1 (and hybrid) and v2 behind one {@link
 * org.glasshouse.helper.runtime.cgroups.CgroupDriver}: a cgroup per container under a parent, its
 * limits, its processes, its teardown. Every mkdir, write and rmdir is a helper step in the
 * container's step log.
 */
package org.glasshouse.helper.runtime.cgroups;
