/**
 * Helpers shared by the Gogo commands of the shell, tier, ports and failover bundles:
 * {@link io.cqkd.dht.shell.support.TextTable} (aligned plain-text tables) and
 * {@link io.cqkd.dht.shell.support.CommandFailure} (a one-line failure, no stack trace). Not
 * exported: every user embeds a private copy of this package ({@code -conditionalpackage} in its
 * {@code bnd.bnd}), so a table helper never ties the command bundles' look to API releases.
 */
package io.cqkd.dht.shell.support;
