/**
 * {@code /proc/PID/mountinfo}: its parser and the mount tree built from it, used by the runtime
 * (its own mounts, safe deletion), by the cgroup layout (where the hierarchies are mounted) and by
 * inspection.
 */
package org.glasshouse.helper.mountinfo;
