/**
 * The container runtime: specs become ordered isolation steps, split between the helper (images,
 * overlay dirs, cgroups, ptys) and the init stage (a fresh process inside the new namespaces that
 * finishes the work through JNA and execs the user's command). No Java code ever runs in a forked
 * child of the helper JVM.
 */
package org.glasshouse.helper.runtime;
