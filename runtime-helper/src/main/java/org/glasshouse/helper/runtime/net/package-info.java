/**
 * Level 07's bonus network ({@code run --network bridge}): one bridge per helper, a veth pair per
 * networked container, its namespace linked under {@code /run/netns}, all made and unmade with
 * rtnetlink messages built and parsed here ({@link org.glasshouse.helper.runtime.net.Rtnl}, {@link
 * org.glasshouse.helper.runtime.net.NlMessage}) so each one is a line in the step log. The bridge's
 * name and subnet come from the state dir and {@code helper --bridge/--subnet} ({@link
 * org.glasshouse.helper.runtime.net.NetworkConfig}); forwarding stays off, nothing leaves the
 * machine.
 */
package org.glasshouse.helper.runtime.net;
