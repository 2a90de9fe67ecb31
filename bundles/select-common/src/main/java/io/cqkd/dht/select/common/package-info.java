/**
 * The selection rules shared by the strategy bundles. Not exported: every {@code select-*}
 * bundle embeds a private copy of this package ({@code -conditionalpackage} in its
 * {@code bnd.bnd}).
 *
 * <p>Why here and not in the API: strategies are separate bundles so that one can be swapped or
 * updated at runtime without touching anything else. With the rules in the exported API, a fix
 * to a rule would mean updating the API bundle, which refreshes every bundle wired to it
 * (including every DHT node); embedded, a fix ships in the strategy bundle alone. The package is
 * small and has no state, so the duplicated bytes cost nothing.
 */
package io.cqkd.dht.select.common;
