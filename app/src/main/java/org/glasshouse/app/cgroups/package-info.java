/**
 * The Charts tab: each followed container's cgroup CPU, memory, pids and pressure over time, with
 * the contention readout.
 */
package org.glasshouse.app.cgroups;
