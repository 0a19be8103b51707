/**
 * The Glass house tab: a picture of the container's namespaces, cgroup and root as rooms of a
 * house, built step by step from its start log.
 */
package org.glasshouse.app.glasshouse;
